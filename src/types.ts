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
 * Where an account that a plugin may use comes from.
 *
 * @public
 */
export type AwsAccountSource = 'main' | 'declared' | 'organization';

/**
 * One account that a plugin may use, as `listAccounts` reports it; never
 * a secret.
 *
 * @public
 */
export type AwsAccountListing = {
  accountId: string;
  /** The account's name in the organization, when it was discovered. */
  name?: string;
  source: AwsAccountSource;
  /** The direct parent OU, when the organization's listing knows it. */
  organizationalUnitId?: string;
  /** The account's tags, when `aws.organization.accountTags` made the listing read them. */
  tags?: Record<string, string>;
};

/**
 * What `awsCredentialsServiceRef` gives a plugin: an
 * {@link AwsCredentialsManager} that can also enumerate its accounts.
 *
 * @public
 */
export interface AwsCredentialsService extends AwsCredentialsManager {
  /**
   * The accounts this plugin may use, each once, allow-lists applied: the
   * main account, the declared accounts, and those discovered in the
   * organization (waiting for its first listing as a lookup does).
   */
  listAccounts(): Promise<AwsAccountListing[]>;
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
  /**
   * The role session name, `backstage` unless set; `{pluginId}` is
   * replaced by the asking plugin's ID.
   */
  roleSessionName?: string;
  /**
   * Session tags passed to AssumeRole (values may contain `{pluginId}`),
   * merged over `aws.sessionTags`. Not with `webIdentityTokenFile`.
   */
  sessionTags?: Record<string, string>;
  /** The session's duration in seconds (900-43200); STS's default unless set. */
  durationSeconds?: number;
  /**
   * Roles assumed in order before the account's own role, each signed by
   * the previous one's session (the first by the account's own keys, else
   * the main account's credentials).
   */
  assumeRoleChain?: AwsRoleChainHopConfig[];
  /** An inline session policy, as compact JSON, sent on the last hop. */
  sessionPolicy?: string;
  /** Managed session policies (at most 10 ARNs), sent on the last hop. */
  sessionPolicyArns?: string[];
  /** The source identity of every hop; `{pluginId}` is replaced. */
  sourceIdentity?: string;
};

/**
 * One hop of `assumeRoleChain`: a role assumed before the account's own.
 *
 * @public
 */
export type AwsRoleChainHopConfig = {
  /** The ARN of the role this hop assumes. */
  roleArn: string;
  /** The external ID passed when assuming it. */
  externalId?: string;
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
  /**
   * The role session name, `backstage` unless set; `{pluginId}` is
   * replaced by the asking plugin's ID.
   */
  roleSessionName?: string;
  /**
   * Session tags passed to AssumeRole (values may contain `{pluginId}`),
   * merged over `aws.sessionTags`. Not with `webIdentityTokenFile`.
   */
  sessionTags?: Record<string, string>;
  /** The session's duration in seconds (900-43200); STS's default unless set. */
  durationSeconds?: number;
  /**
   * Roles assumed in order before the account's own role, each signed by
   * the previous one's session (the first by the account's own keys, else
   * the main account's credentials).
   */
  assumeRoleChain?: AwsRoleChainHopConfig[];
  /** An inline session policy, as compact JSON, sent on the last hop. */
  sessionPolicy?: string;
  /** Managed session policies (at most 10 ARNs), sent on the last hop. */
  sessionPolicyArns?: string[];
  /** The source identity of every hop; `{pluginId}` is replaced. */
  sourceIdentity?: string;
};

/**
 * `aws.plugins.<pluginId>`: what one plugin (and its modules) may do,
 * over the global settings.
 *
 * @public
 */
export type AwsIntegrationPluginConfig = {
  /** Entries that replace the global entry of the same account for this plugin, or add one. */
  accounts?: AwsIntegrationAccountConfig[];
  /** Replaces `aws.accountDefaults` for this plugin; `{}` switches defaults off. */
  accountDefaults?: AwsIntegrationDefaultAccountConfig;
  /** Narrows the accounts this plugin may look up (an account must be in both lists). */
  allowedAccountIds?: string[];
  /** The role session name of this plugin's sessions. */
  roleSessionName?: string;
  /** Session tags of this plugin's sessions, merged over the global ones. */
  sessionTags?: Record<string, string>;
  /** The inline session policy of this plugin's sessions, as compact JSON. */
  sessionPolicy?: string;
  /** The managed session policies of this plugin's sessions. */
  sessionPolicyArns?: string[];
  /** The source identity of this plugin's sessions; `{pluginId}` is replaced. */
  sourceIdentity?: string;
};

/**
 * `aws.organization`: the accounts of an AWS organization, discovered and
 * kept current, each reached by assuming one role.
 *
 * @public
 */
export type AwsIntegrationOrganizationConfig = {
  /** The IAM role assumed in each discovered member account. */
  roleName: string;
  /** The external ID passed when assuming `roleName`. */
  externalId?: string;
  /** The organization's AWS partition; `aws` unless set. */
  partition?: string;
  /** The STS region of the member accounts' role sessions. */
  region?: string;
  /**
   * A role allowed `organizations:ListAccounts` (and the other calls of
   * the listing); the main account's credentials list the accounts unless
   * set.
   */
  listAccountsRoleArn?: string;
  /** Only accounts under these organizational units, recursively. */
  organizationalUnitIds?: string[];
  /** Only accounts that carry all of these tags. */
  accountTags?: Record<string, string>;
  /** How often the accounts are listed again, in milliseconds; 60 minutes unless set. */
  refreshMs: number;
  /** An http(s) URL that takes the Organizations calls; the SDK's own resolution unless set. */
  endpoint?: string;
  /** Roles assumed in order before `roleName` in each member account. */
  assumeRoleChain?: AwsRoleChainHopConfig[];
  /** An inline session policy of the member sessions, as compact JSON. */
  sessionPolicy?: string;
  /** Managed session policies of the member sessions. */
  sessionPolicyArns?: string[];
  /** The source identity of the member sessions; `{pluginId}` is replaced. */
  sourceIdentity?: string;
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
  /** `aws.cache`: what the backend keeps in memory. Absent when not configured. */
  cache?: {
    /**
     * How many accounts reached through account defaults the backend keeps
     * (over all plugins), the least recently used forgotten first; 10,000
     * unless set.
     */
    maxDefaultAccounts?: number;
  };
  /**
   * `aws.sts`: where every STS call of this package goes (AssumeRole,
   * AssumeRoleWithWebIdentity, GetCallerIdentity, and the role
   * assumptions of profiles and the default chain). What it sets wins
   * over the AWS SDK's endpoint settings from the environment
   * (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`),
   * which apply as usual to what it leaves unset. Absent when not
   * configured.
   */
  sts?: {
    /**
     * An http(s) URL that takes every STS call, e.g. a VPC interface
     * endpoint, a proxy or LocalStack (`http://localhost:4566`).
     */
    endpoint?: string;
    /**
     * `true`: call the FIPS endpoint of each STS region
     * (`https://sts-fips.<region>.amazonaws.com`); `false`: never,
     * whatever `AWS_USE_FIPS_ENDPOINT` says.
     */
    useFipsEndpoint?: boolean;
  };
  /** `aws.roleSessionName`: the default role session name. */
  roleSessionName?: string;
  /** `aws.sessionTags`: session tags of every AssumeRole. */
  sessionTags?: Record<string, string>;
  /**
   * `aws.allowedAccountIds`: when set, the only accounts (besides the main
   * account) that can be looked up.
   */
  allowedAccountIds?: string[];
  /** `aws.plugins`: per-plugin settings, by plugin ID. */
  plugins?: Record<string, AwsIntegrationPluginConfig>;
  /** `aws.organization`: accounts discovered in an AWS organization. */
  organization?: AwsIntegrationOrganizationConfig;
};
