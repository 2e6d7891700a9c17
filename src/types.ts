import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/**
 * The credentials of one AWS account, ready for any AWS SDK v3 client.
 *
 * @public
 * @example
 * ```ts
 * const p = await manager.getCredentialProvider({ accountId: '111111111111' });
 * const s3 = new S3Client({ credentials: p.sdkCredentialProvider });
 * ```
 */
export type AwsCredentialProvider = {
  /** The account these credentials belong to, when it is known. */
  accountId?: string;
  /** The STS region used to obtain the credentials, when STS is used. */
  stsRegion?: string;
  /** The ARN of the IAM role assumed to obtain the credentials, if any. */
  roleArn?: string;
  /**
   * An AWS SDK v3 credential provider. It caches: every call returns the
   * same credentials until they come near expiry, and concurrent callers
   * share one STS call.
   */
  sdkCredentialProvider: AwsCredentialIdentityProvider;
};

/**
 * What to look up credentials for. An `accountId` wins over an `arn`.
 * With neither (or an ARN that names no account, such as an S3 bucket's),
 * the main account's credentials are returned.
 *
 * @public
 */
export type AwsCredentialProviderOptions = {
  /** A 12-digit AWS account ID. */
  accountId?: string;
  /** The ARN of a resource; its account is used. */
  arn?: string;
};

/**
 * Hands out AWS credentials for any configured AWS account. The same shape
 * as `AwsCredentialsManager` of `@backstage/integration-aws-node`.
 *
 * @public
 */
export interface AwsCredentialsManager {
  /**
   * The credentials for the account named by `opts`.
   *
   * @throws `InputError` for a malformed account ID or ARN, `NotFoundError`
   * for an account that is not configured.
   */
  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider>;
}

/**
 * One entry of `aws.accounts`.
 *
 * @public
 */
export type AwsIntegrationAccountConfig = {
  /** The account's 12-digit ID. */
  accountId: string;
  /** Access key ID of a static key pair. */
  accessKeyId?: string;
  /** Secret access key of a static key pair. */
  secretAccessKey?: string;
  /** A profile from the shared AWS config and credentials files. */
  profile?: string;
  /** An IAM role to assume in this account. */
  roleName?: string;
  /** The account's AWS partition; `aws` unless set. */
  partition?: string;
  /** The STS region used to assume the role. */
  region?: string;
  /** The external ID passed when assuming the role. */
  externalId?: string;
  /** An OIDC token file, for AssumeRoleWithWebIdentity. */
  webIdentityTokenFile?: string;
};

/**
 * `aws.mainAccount`.
 *
 * @public
 */
export type AwsIntegrationMainAccountConfig = {
  /** The main account's 12-digit ID, if known in advance. */
  accountId?: string;
  /** Access key ID of a static key pair. */
  accessKeyId?: string;
  /** Secret access key of a static key pair. */
  secretAccessKey?: string;
  /** A profile from the shared AWS config and credentials files. */
  profile?: string;
  /** The STS region for the main account's own STS calls. */
  region?: string;
};

/**
 * `aws.accountDefaults`.
 *
 * @public
 */
export type AwsIntegrationDefaultAccountConfig = {
  /** The IAM role to assume in every account not listed in `accounts`. */
  roleName?: string;
  /** The AWS partition; `aws` unless set. */
  partition?: string;
  /** The STS region used to assume the role. */
  region?: string;
  /** The external ID passed when assuming the role. */
  externalId?: string;
  /** An OIDC token file, for AssumeRoleWithWebIdentity. */
  webIdentityTokenFile?: string;
};

/**
 * The whole `aws` block, validated.
 *
 * @public
 */
export type AwsIntegrationConfig = {
  /** `aws.accounts`; empty when absent. */
  accounts: AwsIntegrationAccountConfig[];
  /** `aws.mainAccount`; empty when absent. */
  mainAccount: AwsIntegrationMainAccountConfig;
  /** `aws.accountDefaults`; empty when absent. */
  accountDefaults: AwsIntegrationDefaultAccountConfig;
  /**
   * `aws.credentialsTimeout` in milliseconds: how long one attempt to obtain
   * credentials may take. Absent when not configured.
   */
  credentialsTimeoutMs?: number;
};
