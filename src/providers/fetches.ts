import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { sdk } from '../aws/sdk';
import { Fetch, RoleSession } from './CredentialSource';
import { StsSettings, stsClientConfig } from './sts';

// One function per way of obtaining credentials. Each builds the SDK's
// provider afresh at every fetch: nothing here caches, retries past the
// signal or times out (that is the cache's job), and a refresh therefore
// always asks the source again, re-reading files and the environment.

/** A static key pair from app-config. */
export function staticKeys(
  accessKeyId: string,
  secretAccessKey: string,
): Fetch {
  return async () => ({ accessKeyId, secretAccessKey });
}

type FetchClients = ReturnType<typeof stsClientConfig>;

/** Runs an SDK provider with clients bound to the fetch's signal. */
function withClients(
  region: string | undefined,
  timeoutMs: number,
  sts: StsSettings,
  create: (clients: FetchClients) => AwsCredentialIdentityProvider,
): Fetch {
  return async ({ abortSignal }) => {
    const clients = stsClientConfig(region, timeoutMs, abortSignal, sts);
    try {
      return await create(clients)();
    } finally {
      clients.destroy();
    }
  };
}

/**
 * The options that make a profile or the default chain send its STS calls
 * where `aws.sts` says. Not through `clientConfig`: the SDK also gives
 * that to its SSO client, which the STS endpoint would then receive. The
 * role assumers are the SDK's own, given the STS client settings;
 * `profileName` lets them find the profile's region when no region is
 * configured.
 */
function stsRoleAssumers(clients: FetchClients, profileName?: string) {
  if (!clients.hasStsSettings) {
    return {}; // the SDK's defaults, as without aws.sts
  }
  const { getDefaultRoleAssumer, getDefaultRoleAssumerWithWebIdentity } =
    sdk.clientSts();
  // The SDK passes these options on to the STS client it makes, but
  // declares only some of them.
  const options = { ...clients.stsConfig, profile: profileName } as Parameters<
    typeof getDefaultRoleAssumer
  >[0];
  return {
    roleAssumer: getDefaultRoleAssumer(options),
    roleAssumerWithWebIdentity: getDefaultRoleAssumerWithWebIdentity(options),
  };
}

/** A profile of the shared config and credentials files, read afresh. */
export function profile(
  name: string,
  region: string | undefined,
  timeoutMs: number,
  sts: StsSettings = {},
): Fetch {
  return withClients(region, timeoutMs, sts, clients =>
    sdk.credentialProviders().fromIni({
      profile: name,
      ignoreCache: true,
      clientConfig: clients.clientConfig,
      ...stsRoleAssumers(clients, name),
    }),
  );
}

/**
 * The AWS SDK's default chain: environment variables, shared files, web
 * identity, SSO, container and instance metadata, in the SDK's order. A
 * new chain at every fetch, so the chain's own cache never hands back the
 * credentials a refresh means to replace.
 */
export function defaultChain(
  region: string | undefined,
  timeoutMs: number,
  sts: StsSettings = {},
): Fetch {
  return withClients(region, timeoutMs, sts, clients =>
    sdk.credentialProviders().fromNodeProviderChain({
      ignoreCache: true,
      clientConfig: clients.clientConfig,
      ...stsRoleAssumers(clients),
    }),
  );
}

/** A role assumed with STS AssumeRole, signed by `signWith`. */
export function assumeRole(options: {
  roleArn: string;
  externalId?: string;
  stsRegion: string;
  signWith: AwsCredentialIdentityProvider;
  timeoutMs: number;
  sts?: StsSettings;
  session: RoleSession;
}): Fetch {
  const { roleSessionName, tags, durationSeconds, transitiveTags } =
    options.session;
  return withClients(
    options.stsRegion,
    options.timeoutMs,
    options.sts ?? {},
    clients =>
      sdk.credentialProviders().fromTemporaryCredentials({
        params: {
          RoleArn: options.roleArn,
          RoleSessionName: roleSessionName,
          ExternalId: options.externalId,
          // Absent unless configured: the original's exact parameters.
          Tags:
            tags &&
            Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          DurationSeconds: durationSeconds,
          TransitiveTagKeys:
            tags && transitiveTags ? Object.keys(tags) : undefined,
          SourceIdentity: options.session.sourceIdentity,
          Policy: options.session.policy,
          PolicyArns: options.session.policyArns?.map(arn => ({ arn })),
        },
        masterCredentials: options.signWith,
        clientConfig: clients.stsConfig,
      }),
  );
}

/**
 * A role assumed with STS AssumeRoleWithWebIdentity. The token file is
 * read at every fetch, so a token rotated on disk is used at the next
 * refresh.
 */
export function webIdentity(options: {
  roleArn: string;
  webIdentityTokenFile: string;
  stsRegion: string;
  timeoutMs: number;
  sts?: StsSettings;
  session: Omit<RoleSession, 'tags'>;
}): Fetch {
  return withClients(
    options.stsRegion,
    options.timeoutMs,
    options.sts ?? {},
    clients =>
      sdk.credentialProviders().fromTokenFile({
        roleArn: options.roleArn,
        webIdentityTokenFile: options.webIdentityTokenFile,
        roleSessionName: options.session.roleSessionName,
        durationSeconds: options.session.durationSeconds,
        policy: options.session.policy,
        policyArns: options.session.policyArns?.map(arn => ({ arn })),
        clientConfig: clients.stsConfig,
      }),
  );
}
