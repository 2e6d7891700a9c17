import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { lazyProvider, sdk } from './sdk';
import { ROLE_SESSION_NAME, stsClientConfig } from './sts';

/**
 * Credentials of a role, assumed with STS AssumeRoleWithWebIdentity. The
 * SDK reads the token file at every call, so a token rotated on disk is
 * used at the next refresh.
 */
export function webIdentityCredentials(options: {
  roleArn: string;
  webIdentityTokenFile: string;
  stsRegion: string;
  timeoutMs: number;
}): AwsCredentialIdentityProvider {
  return lazyProvider(() =>
    sdk.credentialProviders().fromTokenFile({
      roleArn: options.roleArn,
      webIdentityTokenFile: options.webIdentityTokenFile,
      roleSessionName: ROLE_SESSION_NAME,
      clientConfig: stsClientConfig(options.stsRegion, options.timeoutMs),
    }),
  );
}
