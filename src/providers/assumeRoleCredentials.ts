import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { lazyProvider, sdk } from './sdk';
import { ROLE_SESSION_NAME, stsClientConfig } from './sts';

/** Credentials of a role, assumed with STS AssumeRole. */
export function assumeRoleCredentials(options: {
  roleArn: string;
  externalId?: string;
  stsRegion: string;
  /** The credentials that sign the AssumeRole call. */
  signWith: AwsCredentialIdentityProvider;
  timeoutMs: number;
}): AwsCredentialIdentityProvider {
  return lazyProvider(() =>
    sdk.credentialProviders().fromTemporaryCredentials({
      params: {
        RoleArn: options.roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        ExternalId: options.externalId,
      },
      masterCredentials: options.signWith,
      clientConfig: stsClientConfig(options.stsRegion, options.timeoutMs),
    }),
  );
}
