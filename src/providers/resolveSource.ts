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
  SourceContext,
} from './CredentialSource';
import * as fetches from './fetches';
import { ROLE_SESSION_NAME } from './sts';

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

function hashOf(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
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
): ResolvedSource {
  const { accessKeyId, secretAccessKey, profile, region } = config;
  if (accessKeyId && secretAccessKey) {
    return {
      description: { ...base, kind: 'static' },
      key: hashOf(['static', accessKeyId, secretAccessKey]),
      createFetch: () => fetches.staticKeys(accessKeyId, secretAccessKey),
    };
  }
  if (profile) {
    return {
      description: { ...base, kind: 'profile', profile },
      key: hashOf(['profile', profile, region, timeoutMs]),
      createFetch: ctx => fetches.profile(profile, region, ctx.timeoutMs),
    };
  }
  return {
    description: { ...base, kind: 'default_chain' },
    key: hashOf(['default_chain', region, timeoutMs]),
    createFetch: ctx => fetches.defaultChain(region, ctx.timeoutMs),
  };
}

/** The main account's credentials: static keys, a profile, or the default chain. */
export function mainAccountSource(
  config: AwsIntegrationMainAccountConfig,
  timeoutMs: number,
): ResolvedSource {
  return keysOrProfileOrChain(
    config,
    {
      subject: 'the main account',
      accountId: config.accountId,
      configPath: 'aws.mainAccount',
    },
    timeoutMs,
  );
}

/**
 * The STS region of a role: the configured one, else its partition's.
 *
 * @throws `InputError` for a partition whose STS region nobody knows.
 */
function stsRegionOf(
  config: AwsIntegrationAccountConfig,
  configPath: string,
): string {
  const region = config.region ?? defaultStsRegion(config.partition);
  if (!region) {
    throw new InputError(
      `${configPath}.partition '${config.partition}' is not a partition this AWS SDK knows, so its STS region is unknown; set ${configPath}.region, or update the @aws-sdk packages`,
    );
  }
  return region;
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
): ResolvedSource {
  const { accountId, roleName } = config;
  const base = { subject: `account ${accountId}`, accountId, configPath };
  if (!roleName) {
    return keysOrProfileOrChain(config, base, timeoutMs);
  }

  const roleArn = roleArnOf(accountId, roleName, config.partition);
  const stsRegion = stsRegionOf(config, configPath);
  const role = {
    ...base,
    roleArn,
    stsRegion,
    roleSessionName: ROLE_SESSION_NAME,
  };

  const tokenFile = config.webIdentityTokenFile;
  if (tokenFile) {
    return {
      description: {
        ...role,
        kind: 'web_identity',
        webIdentityTokenFile: tokenFile,
      },
      key: hashOf(['web_identity', roleArn, stsRegion, tokenFile, timeoutMs]),
      createFetch: ctx =>
        fetches.webIdentity({
          roleArn,
          webIdentityTokenFile: tokenFile,
          stsRegion,
          timeoutMs: ctx.timeoutMs,
        }),
    };
  }

  const { accessKeyId, secretAccessKey, externalId } = config;
  const ownKeys =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey }
      : undefined;
  return {
    description: {
      ...role,
      kind: 'assume_role',
      signedWith: ownKeys ? 'own keys' : 'main account',
    },
    key: hashOf([
      'assume_role',
      roleArn,
      stsRegion,
      externalId,
      ownKeys ?? mainKey,
      timeoutMs,
    ]),
    createFetch: (ctx, mainCredentials) => {
      const signWith = ownKeys ? async () => ownKeys : mainCredentials;
      return fetches.assumeRole({
        roleArn,
        externalId,
        stsRegion,
        signWith,
        timeoutMs: ctx.timeoutMs,
      });
    },
  };
}
