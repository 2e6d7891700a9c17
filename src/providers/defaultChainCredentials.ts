import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { stsClientConfig } from './sts';

/**
 * The AWS SDK's default chain: environment variables, shared files, web
 * identity, SSO, container and instance metadata, in the SDK's order.
 */
export function defaultChainCredentials(
  region: string | undefined,
  timeoutMs: number,
): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({
    clientConfig: stsClientConfig(region, timeoutMs),
  });
}
