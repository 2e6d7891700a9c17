import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** A static key pair. The object is frozen so no caller can alter it. */
export function staticCredentials(
  accessKeyId: string,
  secretAccessKey: string,
): AwsCredentialIdentityProvider {
  const credentials = Object.freeze({ accessKeyId, secretAccessKey });
  return async () => credentials;
}
