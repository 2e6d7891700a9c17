import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { roleArnOf } from '../aws/identifiers';
import { defaultStsRegion } from '../aws/partitions';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import {
  CredentialSourceDescription,
  MAIN_SUBJECT,
  RoleSession,
} from './CredentialSource';
import * as fetches from './fetches';
import {
  ResolvedSource,
  resolved,
  stsParts,
  unknownStsRegion,
} from './ResolvedSource';
import { roleChainOf } from './roleChainSources';
import { policiesOf } from './sessionPolicies';
import { ROLE_SESSION_NAME, StsSettings } from './sts';

export type { ResolvedSource } from './ResolvedSource';

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

/**
 * Whether an `aws.accounts` entry names no source (no role, no key pair,
 * no profile), so that the backend's default credential chain serves it,
 * as in `@backstage/integration-aws-node`. Cheap: the start-up log asks
 * it of every entry.
 */
export function namesNoSource(
  config: KeyedConfig & { roleName?: string },
): boolean {
  return (
    !config.roleName &&
    !(config.accessKeyId && config.secretAccessKey) &&
    !config.profile
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
  const policies = policiesOf(session);
  const role = {
    ...base,
    roleArn,
    stsRegion,
    roleSessionName,
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...policies.description,
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
        ...policies.key,
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
              session: {
                roleSessionName,
                durationSeconds,
                policy: session.policy,
                policyArns: session.policyArns,
              },
            }),
    );
  }

  const { accessKeyId, secretAccessKey, externalId } = config;
  const ownKeys =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey }
      : undefined;
  const chain = roleChainOf(config, configPath, session, {
    ownKeys,
    mainKey,
    stsRegion,
    timeoutMs,
    sts,
  });
  const last = chain.lastSession;
  return resolved(
    {
      ...role,
      kind: 'assume_role',
      signedWith: ownKeys ? 'own keys' : 'main account',
      ...(session.tags && { sessionTags: session.tags }),
      ...(session.sourceIdentity && { sourceIdentity: session.sourceIdentity }),
      ...(chain.roleArns.length > 0 && { roleChain: chain.roleArns }),
    },
    [
      'assume_role',
      roleArn,
      stsRegion,
      externalId,
      // With a chain, the previous hop signs (its key is in this one's).
      chain.signedBy ? null : ownKeys ?? mainKey,
      timeoutMs,
      stsPart.key,
      roleSessionName,
      last.tags ?? null,
      durationSeconds,
      last.sourceIdentity ?? null,
      ...policies.key,
    ],
    (ctx, signer) => {
      if (stsRegion === undefined) {
        return unknownStsRegion(config, configPath);
      }
      const assume = (signWith: AwsCredentialIdentityProvider) =>
        fetches.assumeRole({
          roleArn,
          externalId,
          stsRegion,
          signWith,
          timeoutMs: ctx.timeoutMs,
          sts,
          session: last,
        });
      if (!chain.signedBy) {
        return assume(ownKeys ? async () => ownKeys : signer);
      }
      return chain.lastFetch(roleArn, signer, assume);
    },
    chain.signedBy,
  );
}
