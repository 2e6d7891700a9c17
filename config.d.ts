import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * How Backstage backend plugins get AWS credentials, read by
   * `backstage-aws-credentials` (and, with the same keys, by
   * `@backstage/integration-aws-node`).
   */
  aws?: {
    /**
     * The credentials Backstage uses for itself: for AWS calls that name no
     * account, and to assume the roles of `accounts` that have no keys of
     * their own. With neither keys nor a profile, the AWS SDK's default
     * credential chain is used (environment, shared files, web identity,
     * container and instance metadata).
     */
    mainAccount?: {
      /**
       * The main account's 12-digit ID. Optional: when set, lookups of this
       * account are answered without asking STS who the main account is.
       */
      accountId?: string;
      /**
       * Access key ID of a static key pair. Requires `secretAccessKey`.
       * @visibility secret
       */
      accessKeyId?: string;
      /**
       * Secret access key of a static key pair. Requires `accessKeyId`.
       * @visibility secret
       */
      secretAccessKey?: string;
      /**
       * A profile from the shared AWS config and credentials files. Not
       * together with static keys.
       */
      profile?: string;
      /**
       * The STS region for the main account's own STS calls, e.g. `us-east-1`.
       */
      region?: string;
    };

    /**
     * Settings that apply to every account that is not listed in `accounts`.
     * With `roleName` set, any account ID a plugin asks for is reached by
     * assuming `arn:{partition}:iam::{accountId}:role/{roleName}` with the
     * main account's credentials.
     */
    accountDefaults?: {
      /** The IAM role to assume in each account. */
      roleName?: string;
      /**
       * The AWS partition: `aws` (default), `aws-cn`, `aws-us-gov`,
       * `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` or `aws-eusc`.
       * Requires `roleName`.
       */
      partition?: string;
      /**
       * The STS region used to assume the role. Defaults to the partition's
       * own (`us-east-1`, `cn-north-1`, `us-gov-west-1`, ...). Requires
       * `roleName`.
       */
      region?: string;
      /**
       * The external ID to pass when assuming the role. Requires `roleName`.
       * @visibility secret
       */
      externalId?: string;
      /**
       * A file holding an OIDC token, for AssumeRoleWithWebIdentity instead
       * of AssumeRole. Read again at every refresh. Requires `roleName`.
       */
      webIdentityTokenFile?: string;
    };

    /** Accounts with credentials of their own. */
    accounts?: Array<{
      /** The account's 12-digit ID. */
      accountId: string;
      /**
       * Access key ID of a static key pair. Requires `secretAccessKey`.
       * @visibility secret
       */
      accessKeyId?: string;
      /**
       * Secret access key of a static key pair. Requires `accessKeyId`.
       * @visibility secret
       */
      secretAccessKey?: string;
      /**
       * A profile from the shared AWS config and credentials files. Not
       * together with static keys or a role.
       */
      profile?: string;
      /**
       * An IAM role to assume in this account, with this account's static
       * keys if it has them, else with the main account's credentials.
       */
      roleName?: string;
      /**
       * The AWS partition of the account (default `aws`). Requires
       * `roleName`.
       */
      partition?: string;
      /**
       * The STS region used to assume the role. Defaults to the partition's
       * own. Requires `roleName`.
       */
      region?: string;
      /**
       * The external ID to pass when assuming the role. Requires `roleName`.
       * @visibility secret
       */
      externalId?: string;
      /**
       * A file holding an OIDC token, for AssumeRoleWithWebIdentity instead
       * of AssumeRole. Read again at every refresh. Requires `roleName`; not
       * together with static keys, a profile or `externalId`.
       */
      webIdentityTokenFile?: string;
    }>;

    /**
     * How long one attempt to obtain credentials (all STS retries included)
     * may take before it fails, as a duration such as `10s` or
     * `{ seconds: 10 }`. Default 10 seconds.
     */
    credentialsTimeout?: HumanDuration | string;
  };
}
