import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AwsCredentialProvider,
  AwsIntegrationAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import { assumeRoleCredentials } from './assumeRoleCredentials';
import { CredentialSource, cachingProvider } from './cachingProvider';
import { defaultChainCredentials } from './defaultChainCredentials';
import { profileCredentials } from './profileCredentials';
import { staticCredentials } from './staticCredentials';
import { defaultStsRegion, roleArnOf, stsEndpointOf } from './sts';
import { webIdentityCredentials } from './webIdentityCredentials';

/** What every provider of one manager shares. */
export type ProviderContext = {
  timeoutMs: number;
  logger?: LoggerService;
};

/** How the main account obtains credentials, for the start-up log line. */
export function mainAccountKind(
  config: AwsIntegrationMainAccountConfig,
): 'static keys' | 'profile' | 'default chain' {
  if (config.accessKeyId) {
    return 'static keys';
  }
  return config.profile ? 'profile' : 'default chain';
}

function keysOrProfileOrChain(
  config: {
    accessKeyId?: string;
    secretAccessKey?: string;
    profile?: string;
    region?: string;
  },
  context: ProviderContext,
): { fetch: AwsCredentialIdentityProvider; how: () => string } {
  if (config.accessKeyId && config.secretAccessKey) {
    return {
      fetch: staticCredentials(config.accessKeyId, config.secretAccessKey),
      how: () => 'from static keys',
    };
  }
  if (config.profile) {
    return {
      fetch: profileCredentials(
        config.profile,
        config.region,
        context.timeoutMs,
      ),
      how: () =>
        `from profile '${config.profile}' of the shared AWS config files`,
    };
  }
  return {
    fetch: defaultChainCredentials(config.region, context.timeoutMs),
    how: () => "from the AWS SDK's default credential chain",
  };
}

/** The main account's credentials: static keys, a profile, or the default chain. */
export function mainAccountProvider(
  config: AwsIntegrationMainAccountConfig,
  context: ProviderContext,
): AwsCredentialProvider {
  const { fetch, how } = keysOrProfileOrChain(config, context);
  const source: CredentialSource = {
    subject: 'the main account',
    how,
    logFields: { account: 'main', credentials: mainAccountKind(config) },
  };
  return withoutUndefined({
    accountId: config.accountId,
    stsRegion: config.region,
    sdkCredentialProvider: cachingProvider(fetch, source, context),
  });
}

/**
 * An account's credentials: a web identity role, an assumed role (signed
 * with the account's own keys, else the main account's), static keys, a
 * profile, or the default chain, in that order.
 */
export function accountProvider(
  config: AwsIntegrationAccountConfig,
  mainCredentials: AwsCredentialIdentityProvider,
  context: ProviderContext,
): AwsCredentialProvider {
  const { accountId, roleName } = config;
  const subject = `account ${accountId}`;

  if (!roleName) {
    const { fetch, how } = keysOrProfileOrChain(config, context);
    return withoutUndefined({
      accountId,
      stsRegion: config.region,
      sdkCredentialProvider: cachingProvider(
        fetch,
        { subject, how, logFields: { accountId } },
        context,
      ),
    });
  }

  const roleArn = roleArnOf(accountId, roleName, config.partition);
  const stsRegion = config.region ?? defaultStsRegion(config.partition);
  const { fetch, how } = roleSource(
    config,
    roleArn,
    stsRegion,
    mainCredentials,
    context,
  );
  return {
    accountId,
    stsRegion,
    roleArn,
    sdkCredentialProvider: cachingProvider(
      fetch,
      { subject, how, logFields: { accountId, roleArn, stsRegion } },
      context,
    ),
  };
}

/** How a role is assumed: with a web identity token, or with keys. */
function roleSource(
  config: AwsIntegrationAccountConfig,
  roleArn: string,
  stsRegion: string,
  mainCredentials: AwsCredentialIdentityProvider,
  context: ProviderContext,
): { fetch: AwsCredentialIdentityProvider; how: () => string } {
  const { timeoutMs } = context;
  const via = () =>
    `through STS in ${stsRegion} at ${stsEndpointOf(stsRegion)}`;

  const tokenFile = config.webIdentityTokenFile;
  if (tokenFile) {
    return {
      fetch: webIdentityCredentials({
        roleArn,
        webIdentityTokenFile: tokenFile,
        stsRegion,
        timeoutMs,
      }),
      how: () =>
        `by assuming role ${roleArn} with the web identity token in ${tokenFile} ${via()}`,
    };
  }

  const { accessKeyId, secretAccessKey, externalId } = config;
  const ownKeys = accessKeyId && secretAccessKey;
  return {
    fetch: assumeRoleCredentials({
      roleArn,
      externalId,
      stsRegion,
      signWith: ownKeys
        ? staticCredentials(accessKeyId, secretAccessKey)
        : mainCredentials,
      timeoutMs,
    }),
    how: () =>
      `by assuming role ${roleArn} with ${
        ownKeys ? "the account's own keys" : "the main account's credentials"
      } ${via()}`,
  };
}

function withoutUndefined(p: AwsCredentialProvider): AwsCredentialProvider {
  return Object.fromEntries(
    Object.entries(p).filter(([, v]) => v !== undefined),
  ) as AwsCredentialProvider;
}
