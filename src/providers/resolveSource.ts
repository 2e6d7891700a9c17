import { createHash } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { InputError } from '@backstage/errors';
import { roleArnOf } from '../aws/identifiers';
import { defaultStsRegion } from '../aws/partitions';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import {
  CredentialSourceDescription,
  Fetch,
  MAIN_SUBJECT,
  RoleSession,
  SourceContext,
} from './CredentialSource';
import * as fetches from './fetches';
import { ROLE_SESSION_NAME, StsSettings, hasStsSettings } from './sts';

/** One account's source of credentials, resolved from its config. */
export type ResolvedSource = {
  description: CredentialSourceDescription;
  /**
   * Identifies the session: sources with equal keys share one cache entry,
   * across reloads too. A hash, so it holds no secret in clear.
   */
  key: string;
  /** Builds the fetch; `mainCredentials` signs roles that use the main account's. */
  createFetch(
    context: SourceContext,
    mainCredentials: AwsCredentialIdentityProvider,
  ): Fetch;
};

/**
 * A source whose key is hashed at its first use, not when it is resolved:
 * `fromConfig` and the start-up log line never pay for a hash.
 */
function resolved(
  description: CredentialSourceDescription,
  keyParts: unknown[],
  createFetch: ResolvedSource['createFetch'],
): ResolvedSource {
  let key: string | undefined;
  return {
    description,
    createFetch,
    get key() {
      key ??= createHash('sha256')
        .update(JSON.stringify(keyParts))
        .digest('hex');
      return key;
    },
  };
}

/**
 * `aws.sts` as part of a session key (a reload that changes it refreshes
 * every source that may call STS), and of a description when set.
 */
function stsParts(sts: StsSettings) {
  return {
    key: [sts.endpoint ?? null, sts.useFipsEndpoint ?? null],
    description: hasStsSettings(sts) ? { sts: { ...sts } } : {},
  };
}

type KeyedConfig = {
  accessKeyId?: string;
  secretAccessKey?: string;
  profile?: string;
  region?: string;
};

/** Static keys, else a profile, else the default chain: the main account's order. */
function keysOrProfileOrChain(
  config: KeyedConfig,
  base: Pick<
    CredentialSourceDescription,
    'subject' | 'accountId' | 'configPath'
  >,
  timeoutMs: number,
  sts: StsSettings,
): ResolvedSource {
  const { accessKeyId, secretAccessKey, profile, region } = config;
  const stsPart = stsParts(sts);
  if (accessKeyId && secretAccessKey) {
    return resolved(
      { ...base, kind: 'static' },
      // With the STS settings: the main account's ID is asked of STS.
      ['static', accessKeyId, secretAccessKey, stsPart.key],
      () => fetches.staticKeys(accessKeyId, secretAccessKey),
    );
  }
  if (profile) {
    return resolved(
      { ...base, kind: 'profile', profile, ...stsPart.description },
      ['profile', profile, region, timeoutMs, stsPart.key],
      ctx => fetches.profile(profile, region, ctx.timeoutMs, sts),
    );
  }
  return resolved(
    { ...base, kind: 'default_chain', ...stsPart.description },
    ['default_chain', region, timeoutMs, stsPart.key],
    ctx => fetches.defaultChain(region, ctx.timeoutMs, sts),
  );
}

/** The main account's credentials: static keys, a profile, or the default chain. */
export function mainAccountSource(
  config: AwsIntegrationMainAccountConfig,
  timeoutMs: number,
  sts: StsSettings = {},
  configPath: string = 'aws.mainAccount',
): ResolvedSource {
  return keysOrProfileOrChain(
    config,
    {
      subject: MAIN_SUBJECT,
      accountId: config.accountId,
      configPath,
    },
    timeoutMs,
    sts,
  );
}

/**
 * A fetch that fails at first use because nobody knows the STS region of
 * the role's partition: the config said a partition newer than the SDK.
 */
function unknownStsRegion(
  config: AwsIntegrationAccountConfig,
  configPath: string,
): Fetch {
  return async () => {
    throw new InputError(
      `${configPath}.partition '${config.partition}' is not a partition this AWS SDK knows, so its STS region is unknown; set ${configPath}.region, or update the @aws-sdk packages`,
    );
  };
}

/**
 * An account's credentials, in this order: a web identity role, an assumed
 * role (signed with the account's own keys, else the main account's
 * credentials), static keys, a profile, or the default chain.
 * `mainKey` is the main account source's key, which a role signed with
 * the main account's credentials depends on.
 */
export function accountSource(
  config: AwsIntegrationAccountConfig,
  configPath: string,
  mainKey: string,
  timeoutMs: number,
  sts: StsSettings = {},
  session: RoleSession = { roleSessionName: ROLE_SESSION_NAME },
): ResolvedSource {
  const { accountId, roleName } = config;
  const base = { subject: `account ${accountId}`, accountId, configPath };
  if (!roleName) {
    return keysOrProfileOrChain(config, base, timeoutMs, sts);
  }
  const stsPart = stsParts(sts);

  const roleArn = roleArnOf(accountId, roleName, config.partition);
  const stsRegion = config.region ?? defaultStsRegion(config.partition);
  const { roleSessionName, durationSeconds } = session;
  const role = {
    ...base,
    roleArn,
    stsRegion,
    roleSessionName,
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...stsPart.description,
  };

  const tokenFile = config.webIdentityTokenFile;
  if (tokenFile) {
    // AssumeRoleWithWebIdentity takes its session tags from the token.
    return resolved(
      { ...role, kind: 'web_identity', webIdentityTokenFile: tokenFile },
      [
        'web_identity',
        roleArn,
        stsRegion,
        tokenFile,
        timeoutMs,
        stsPart.key,
        roleSessionName,
        durationSeconds,
      ],
      ctx =>
        stsRegion === undefined
          ? unknownStsRegion(config, configPath)
          : fetches.webIdentity({
              roleArn,
              webIdentityTokenFile: tokenFile,
              stsRegion,
              timeoutMs: ctx.timeoutMs,
              sts,
              session: { roleSessionName, durationSeconds },
            }),
    );
  }

  const { accessKeyId, secretAccessKey, externalId } = config;
  const ownKeys =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey }
      : undefined;
  return resolved(
    {
      ...role,
      kind: 'assume_role',
      signedWith: ownKeys ? 'own keys' : 'main account',
      ...(session.tags && { sessionTags: session.tags }),
    },
    [
      'assume_role',
      roleArn,
      stsRegion,
      externalId,
      ownKeys ?? mainKey,
      timeoutMs,
      stsPart.key,
      roleSessionName,
      session.tags ?? null,
      durationSeconds,
    ],
    (ctx, mainCredentials) =>
      stsRegion === undefined
        ? unknownStsRegion(config, configPath)
        : fetches.assumeRole({
            roleArn,
            externalId,
            stsRegion,
            signWith: ownKeys ? async () => ownKeys : mainCredentials,
            timeoutMs: ctx.timeoutMs,
            sts,
            session,
          }),
  );
}
