import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { lazyProvider, sdk } from './sdk';
import { stsClientConfig } from './sts';

/**
 * A profile of the shared config and credentials files, read again at
 * every refresh so that rotated keys in the files are picked up.
 */
export function profileCredentials(
  profile: string,
  region: string | undefined,
  timeoutMs: number,
): AwsCredentialIdentityProvider {
  return lazyProvider(() =>
    sdk.credentialProviders().fromIni({
      profile,
      ignoreCache: true,
      clientConfig: stsClientConfig(region, timeoutMs),
    }),
  );
}
