import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { sdk } from '../aws/sdk';
import { Fetch } from './CredentialSource';
import { ROLE_SESSION_NAME, stsClientConfig } from './sts';

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

/** Runs an SDK provider with an STS client bound to the fetch's signal. */
function withStsClient(
  region: string | undefined,
  timeoutMs: number,
  create: (
    clientConfig: ReturnType<typeof stsClientConfig>['clientConfig'],
  ) => AwsCredentialIdentityProvider,
): Fetch {
  return async ({ abortSignal }) => {
    const { clientConfig, destroy } = stsClientConfig(
      region,
      timeoutMs,
      abortSignal,
    );
    try {
      return await create(clientConfig)();
    } finally {
      destroy();
    }
  };
}

/** A profile of the shared config and credentials files, read afresh. */
export function profile(
  name: string,
  region: string | undefined,
  timeoutMs: number,
): Fetch {
  return withStsClient(region, timeoutMs, clientConfig =>
    sdk
      .credentialProviders()
      .fromIni({ profile: name, ignoreCache: true, clientConfig }),
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
): Fetch {
  return withStsClient(region, timeoutMs, clientConfig =>
    sdk
      .credentialProviders()
      .fromNodeProviderChain({ ignoreCache: true, clientConfig }),
  );
}

/** A role assumed with STS AssumeRole, signed by `signWith`. */
export function assumeRole(options: {
  roleArn: string;
  externalId?: string;
  stsRegion: string;
  signWith: AwsCredentialIdentityProvider;
  timeoutMs: number;
}): Fetch {
  return withStsClient(options.stsRegion, options.timeoutMs, clientConfig =>
    sdk.credentialProviders().fromTemporaryCredentials({
      params: {
        RoleArn: options.roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        ExternalId: options.externalId,
      },
      masterCredentials: options.signWith,
      clientConfig,
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
}): Fetch {
  return withStsClient(options.stsRegion, options.timeoutMs, clientConfig =>
    sdk.credentialProviders().fromTokenFile({
      roleArn: options.roleArn,
      webIdentityTokenFile: options.webIdentityTokenFile,
      roleSessionName: ROLE_SESSION_NAME,
      clientConfig,
    }),
  );
}
