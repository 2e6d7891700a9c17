import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { lazyProvider, sdk } from './sdk';
import { stsClientConfig } from './sts';

/**
 * The AWS SDK's default chain: environment variables, shared files, web
 * identity, SSO, container and instance metadata, in the SDK's order.
 */
export function defaultChainCredentials(
  region: string | undefined,
  timeoutMs: number,
): AwsCredentialIdentityProvider {
  return lazyProvider(() =>
    sdk.credentialProviders().fromNodeProviderChain({
      clientConfig: stsClientConfig(region, timeoutMs),
    }),
  );
}
