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
    accountDefaults?: AwsAccountDefaults;

    /** Accounts with credentials of their own. */
    accounts?: AwsAccount[];

    /**
     * How long one attempt to obtain credentials (all STS retries included)
     * may take before it fails, as a duration such as `10s` or
     * `{ seconds: 10 }`. Default 10 seconds.
     */
    credentialsTimeout?: HumanDuration | string;

    /** How much this package keeps in memory. */
    cache?: {
      /**
       * How many accounts reached through `accountDefaults` (accounts not
       * listed in `accounts` or a plugin's `accounts`) the backend keeps,
       * with their providers and cached credentials, counted over all
       * plugins; default 10000. Beyond it, the least recently used account
       * is forgotten and fetched again at its next use, so that callers
       * choosing account IDs cannot grow memory without bound. Listed
       * accounts and the main account are always kept. A whole number of
       * at least 1.
       */
      maxDefaultAccounts?: number | string;
    };

    /**
     * Where every STS call of this package goes: AssumeRole,
     * AssumeRoleWithWebIdentity, GetCallerIdentity, and the role
     * assumptions of profiles and of the default chain. What is set here
     * wins over the AWS SDK's environment settings (`AWS_ENDPOINT_URL_STS`,
     * `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`), which still apply to
     * what is left unset. Other AWS calls (SSO, your plugins' own clients)
     * are not affected.
     */
    sts?: {
      /**
       * An http:// or https:// URL that takes every STS call, without a
       * user name or password: a VPC interface endpoint
       * (`https://vpce-…-….sts.eu-west-1.vpce.amazonaws.com`), a proxy, or
       * LocalStack (`http://localhost:4566`). Calls are still signed for
       * the STS region of each account. Not together with
       * `useFipsEndpoint: true`.
       */
      endpoint?: string;
      /**
       * `true` calls the FIPS endpoint of each STS region
       * (`https://sts-fips.<region>.amazonaws.com`, or the partition's);
       * `false` never does, whatever `AWS_USE_FIPS_ENDPOINT` says.
       */
      useFipsEndpoint?: boolean;
    };

    /**
     * The role session name of every role session, unless the plugin, the
     * account entry or `accountDefaults` sets one; `backstage` unless set.
     * `{pluginId}` is replaced by the ID of the plugin that asks, e.g.
     * `backstage-{pluginId}`, so that CloudTrail names the plugin (characters
     * STS refuses become `-`, and the name is cut to 64 characters).
     */
    roleSessionName?: string;

    /**
     * Session tags of every role session (tag key to value; values may
     * contain `{pluginId}`). Those of a plugin, an account entry or
     * `accountDefaults` are merged over them key by key. Web identity roles
     * take their tags from the token instead. Same limits as the
     * `sessionTags` of an account.
     */
    sessionTags?: { [key: string]: string };

    /**
     * When set, the only accounts a plugin may look up, besides the main
     * account: a lookup of any other account is refused (`NotAllowedError`)
     * before any STS call, even where `accountDefaults` would reach it. Quote
     * each 12-digit ID. An empty list allows the main account only.
     */
    allowedAccountIds?: string[];

    /**
     * Settings of single plugins, keyed by plugin ID (e.g. `catalog`,
     * `scaffolder`); a module of a plugin counts as that plugin. A key that
     * names no installed plugin is not an error. Most specific first: the
     * plugin's `accounts` entry, the plugin's own settings, the global
     * `accounts` entry, then `accountDefaults` and the `aws.` settings.
     */
    plugins?: {
      [pluginId: string]: {
        /**
         * Entries of this plugin, with the keys of `aws.accounts`: each
         * replaces the global entry of the same `accountId` for this plugin
         * (nothing of that entry is kept), or adds an account.
         */
        accounts?: AwsAccount[];

        /**
         * Replaces `aws.accountDefaults` for this plugin (nothing of it is
         * kept). `{}` switches account defaults off: the plugin can then look
         * up only the accounts listed in `accounts`, its own or the global.
         */
        accountDefaults?: AwsAccountDefaults;

        /**
         * Narrows the accounts this plugin may look up: an account must be
         * in this list and in `aws.allowedAccountIds` (when set). The main
         * account is always allowed. An empty list allows the main account
         * only.
         */
        allowedAccountIds?: string[];

        /**
         * The role session name of this plugin's sessions, over
         * `aws.roleSessionName` and the global account entries' and
         * `accountDefaults`' own; may contain `{pluginId}`.
         */
        roleSessionName?: string;

        /**
         * Session tags of this plugin's sessions, merged over
         * `aws.sessionTags` and the global account entries' own, key by key.
         */
        sessionTags?: { [key: string]: string };

        /**
         * An inline session policy for this plugin's role sessions (a
         * policy document or a JSON string of one, at most 2,048
         * characters as compact JSON), sent with the last AssumeRole. With
         * `sessionPolicyArns`, this pair replaces that of a global
         * `accounts` entry or `accountDefaults`; the plugin's own entries
         * and `accountDefaults` win over it.
         */
        sessionPolicy?: string | { [key: string]: unknown };

        /** Managed session policies (up to 10 ARNs) of this plugin's role sessions. */
        sessionPolicyArns?: string[];

        /**
         * The source identity of this plugin's role sessions, e.g.
         * `backstage-{pluginId}`; over that of a global `accounts` entry or
         * `accountDefaults`. Trust policies must allow `sts:SetSourceIdentity`.
         */
        sourceIdentity?: string;
      };
    };

    /**
     * The accounts of an AWS organization, listed at start-up and every
     * `refresh`, each reached by assuming `roleName` in it. Accounts in
     * `aws.accounts` (or a plugin's `accounts`) win over discovered ones;
     * the main account keeps its own credentials; an account outside the
     * organization is refused unless `accountDefaults` reaches it.
     */
    organization?: {
      /** The IAM role to assume in each discovered account. */
      roleName: string;
      /**
       * The external ID to pass when assuming `roleName`.
       * @visibility secret
       */
      externalId?: string;
      /** The organization's AWS partition; `aws` unless set. */
      partition?: string;
      /**
       * The STS region of the member accounts' role sessions; the
       * partition's own unless set. Organizations itself is called in its
       * own region (us-east-1 in the `aws` partition).
       */
      region?: string;
      /**
       * A role allowed `organizations:ListAccounts` and the other listing
       * calls (in the management account or a delegated administrator),
       * assumed with the main account's credentials. Unset: the main
       * account's credentials list the accounts.
       */
      listAccountsRoleArn?: string;
      /** Only accounts under these organizational units, recursively. */
      organizationalUnitIds?: string[];
      /** Only accounts that carry all of these tags (one more call per account). */
      accountTags?: { [key: string]: string };
      /**
       * How often the accounts are listed again; 60 minutes unless set.
       * Under one minute is allowed but warned about.
       */
      refresh?: HumanDuration | string;
      /**
       * An http(s) URL that takes every Organizations call; unset, the AWS
       * SDK's own resolution applies (`AWS_ENDPOINT_URL_ORGANIZATIONS`).
       */
      endpoint?: string;
      /**
       * Roles to assume, in order, before `roleName` in each member account,
       * as `accountDefaults.assumeRoleChain` (a hub whose session every
       * member shares).
       */
      assumeRoleChain?: AwsRoleChainHop[];
      /** An inline session policy of the member sessions, as `accountDefaults.sessionPolicy`. */
      sessionPolicy?: string | { [key: string]: unknown };
      /** Managed session policies of the member sessions, as `accountDefaults.sessionPolicyArns`. */
      sessionPolicyArns?: string[];
      /** The source identity of the member sessions, as `accountDefaults.sourceIdentity`. */
      sourceIdentity?: string;
    };
  };

  /**
   * The connections of the connections framework (`@backstage/connections`,
   * experimental). `backstage-aws-credentials` reads the one of type `aws`:
   * when it exists, it holds the AWS accounts every plugin gets credentials
   * for, and the `mainAccount`, `accounts` and `accountDefaults` of the
   * `aws` block are ignored; the `aws` block's other settings stay in
   * force. Connections of other types are described by the packages that
   * use them.
   */
  connections?: Array<AwsConnection | OtherConnection>;
}

/** A connection of a type other than `aws`: not read by this package. */
interface OtherConnection {
  /** The connection type, e.g. `github`. */
  type: string;
  [key: string]: unknown;
}

/**
 * The `aws` connection: the same accounts as the `aws` block. Its own keys
 * are the role of every account without an auth entry, as
 * `aws.accountDefaults`.
 */
interface AwsConnection {
  /** The connection type. */
  type: 'aws';
  /** A name for people, e.g. `AWS`. */
  title?: string;
  /**
   * The IAM role to assume, with the `mainAccount` entry's credentials, in
   * every account that has no auth entry, as `aws.accountDefaults.roleName`.
   * Requires an auth entry with `mainAccount: true`.
   */
  roleName?: string;
  /** The AWS partition of those accounts (default `aws`). Requires `roleName`. */
  partition?: string;
  /** The STS region used to assume the role. Requires `roleName`. */
  region?: string;
  /**
   * The external ID to pass when assuming the role. Requires `roleName`.
   * @visibility secret
   */
  externalId?: string;
  /**
   * A file holding an OIDC token, for AssumeRoleWithWebIdentity instead of
   * AssumeRole. Requires `roleName`; not together with `externalId`.
   */
  webIdentityTokenFile?: string;
  /**
   * The accounts: one entry with `mainAccount: true` (the credentials
   * Backstage uses for itself and to assume roles), and one per account
   * with settings of its own, as `aws.mainAccount` and `aws.accounts`.
   */
  auth: AwsConnectionAuth[];
}

/** One auth entry of the `aws` connection. */
interface AwsConnectionAuth {
  /** The auth method; `account` is the only one of the `aws` type. */
  method: 'account';
  /** A name for people. */
  title?: string;
  /**
   * The plugins that see this entry; without it, every plugin does. Other
   * plugins asking for its account get what they would get without it.
   * Not on the `mainAccount` entry.
   */
  match?: {
    /** Plugin IDs, e.g. `catalog`. */
    plugins: string[];
  };
  /**
   * `true` for the main account's entry, as `aws.mainAccount`: static keys,
   * a profile, or neither for the AWS SDK's default credential chain; with
   * `accountId` and `region`, nothing else.
   */
  mainAccount?: boolean;
  /** The account's 12-digit ID; required unless `mainAccount` is set. */
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
   * together with static keys or a role.
   */
  profile?: string;
  /**
   * An IAM role to assume in this account, with this entry's static keys
   * if it has them, else with the `mainAccount` entry's credentials.
   */
  roleName?: string;
  /** The AWS partition of the account (default `aws`). Requires `roleName`. */
  partition?: string;
  /**
   * The STS region used to assume the role; for the `mainAccount` entry,
   * of its own STS calls.
   */
  region?: string;
  /**
   * The external ID to pass when assuming the role. Requires `roleName`.
   * @visibility secret
   */
  externalId?: string;
  /**
   * A file holding an OIDC token, for AssumeRoleWithWebIdentity. Requires
   * `roleName`; not together with static keys, a profile or `externalId`.
   */
  webIdentityTokenFile?: string;
  /**
   * This package's: the role session name, as on an `aws.accounts` entry
   * (the connections framework ignores it). Requires `roleName`.
   */
  roleSessionName?: string;
  /**
   * This package's: session tags, as on an `aws.accounts` entry (the
   * connections framework ignores them). Requires `roleName`.
   */
  sessionTags?: { [key: string]: string };
  /**
   * This package's: the session's duration in seconds, 900 to 43200, as
   * on an `aws.accounts` entry (the connections framework ignores it).
   * Requires `roleName`.
   */
  durationSeconds?: number | string;
}

/** One hop of `assumeRoleChain`. */
interface AwsRoleChainHop {
  /** The ARN of the role to assume, e.g. `arn:aws:iam::222222222222:role/BackstageHub`. */
  roleArn: string;
  /**
   * The external ID to pass when assuming this hop's role.
   * @visibility secret
   */
  externalId?: string;
}

/** How accounts not listed are reached (`aws.accountDefaults`, a plugin's `accountDefaults`). */
interface AwsAccountDefaults {
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
  /**
   * The role session name, which CloudTrail shows for every call made with
   * the role: 2-64 letters, digits and `+=,.@_-`. It may contain
   * `{pluginId}`, replaced by the ID of the plugin that asks, e.g.
   * `backstage-{pluginId}` (characters STS refuses in a session name become
   * `-`, and the name is cut to 64 characters). Where several levels set
   * one, the most specific wins (see `aws.plugins`); `backstage` where none
   * does. Requires `roleName`.
   */
  roleSessionName?: string;
  /**
   * Session tags passed to AssumeRole, tag key to value, so that IAM
   * policies can grant by `aws:PrincipalTag/<key>`; merged key by key with
   * `aws.sessionTags` and the plugin's, the most specific winning (see
   * `aws.plugins`). Values may contain `{pluginId}`. At most 50 tags; keys
   * of 1-128 and values of 0-256 letters, digits, spaces and `_.:/=+-@`;
   * STS compares keys without regard to case. The role's trust policy must
   * allow `sts:TagSession`. Requires `roleName`; not together with
   * `webIdentityTokenFile` (AssumeRoleWithWebIdentity takes its tags from
   * the token).
   */
  sessionTags?: { [key: string]: string };
  /**
   * How long each role session lasts, in seconds: 900 (15 minutes) to
   * 43200 (12 hours), and at most the role's maximum session duration (one
   * hour when the credentials that assume the role are themselves a role
   * session). Unset: STS's default of one hour. Requires `roleName`.
   */
  durationSeconds?: number | string;
  /**
   * Roles to assume, in order, before this role: the first with the
   * account's own keys if it has them, else the main account's
   * credentials; each next one, and the role itself last, with the
   * session of the hop before it. Each hop's session is cached and shared
   * by every account and plugin whose hops up to it are the same. Session
   * names and `sourceIdentity` are sent on every hop; session tags on the
   * first, as transitive tags that later hops inherit; `durationSeconds`,
   * `sessionPolicy` and `sessionPolicyArns` on the last. AWS limits a
   * chained role session to one hour, so `durationSeconds` is at most
   * 3600. Each role's trust policy must trust the role of the hop before
   * it. Requires `roleName`.
   */
  assumeRoleChain?: AwsRoleChainHop[];
  /**
   * An inline session policy sent with the last AssumeRole (`Policy`), as
   * a policy document or a JSON string of one: the session may then do
   * only what both the role and this policy allow. At most 2,048
   * characters as compact JSON. A plugin's `sessionPolicy` or
   * `sessionPolicyArns` replaces this block's pair, unless this block is
   * the plugin's own. Requires `roleName`.
   */
  sessionPolicy?: string | { [key: string]: unknown };
  /**
   * Managed policies (up to 10 ARNs) sent with the last AssumeRole as
   * session policies (`PolicyArns`), e.g.
   * `arn:aws:iam::aws:policy/ReadOnlyAccess`. Requires `roleName`.
   */
  sessionPolicyArns?: string[];
  /**
   * The source identity of every AssumeRole of the session (`SourceIdentity`),
   * which CloudTrail records and no later hop can change: 2-64 letters,
   * digits and `+=,.@_-`; `{pluginId}` is replaced by the plugin's ID. Each
   * role's trust policy must allow `sts:SetSourceIdentity`. Most specific
   * wins, as for `roleSessionName`. Requires `roleName`; not with
   * `webIdentityTokenFile` (the token sets it).
   */
  sourceIdentity?: string;
}

/** One entry of `aws.accounts` (or of a plugin's `accounts`). */
interface AwsAccount {
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
  /**
   * The role session name, which CloudTrail shows for every call made with
   * the role: 2-64 letters, digits and `+=,.@_-`. It may contain
   * `{pluginId}`, replaced by the ID of the plugin that asks, e.g.
   * `backstage-{pluginId}` (characters STS refuses in a session name become
   * `-`, and the name is cut to 64 characters). Where several levels set
   * one, the most specific wins (see `aws.plugins`); `backstage` where none
   * does. Requires `roleName`.
   */
  roleSessionName?: string;
  /**
   * Session tags passed to AssumeRole, tag key to value, so that IAM
   * policies can grant by `aws:PrincipalTag/<key>`; merged key by key with
   * `aws.sessionTags` and the plugin's, the most specific winning (see
   * `aws.plugins`). Values may contain `{pluginId}`. At most 50 tags; keys
   * of 1-128 and values of 0-256 letters, digits, spaces and `_.:/=+-@`;
   * STS compares keys without regard to case. The role's trust policy must
   * allow `sts:TagSession`. Requires `roleName`; not together with
   * `webIdentityTokenFile` (AssumeRoleWithWebIdentity takes its tags from
   * the token).
   */
  sessionTags?: { [key: string]: string };
  /**
   * How long each role session lasts, in seconds: 900 (15 minutes) to
   * 43200 (12 hours), and at most the role's maximum session duration (one
   * hour when the credentials that assume the role are themselves a role
   * session). Unset: STS's default of one hour. Requires `roleName`.
   */
  durationSeconds?: number | string;
  /**
   * Roles to assume, in order, before this role: the first with the
   * account's own keys if it has them, else the main account's
   * credentials; each next one, and the role itself last, with the
   * session of the hop before it. Each hop's session is cached and shared
   * by every account and plugin whose hops up to it are the same. Session
   * names and `sourceIdentity` are sent on every hop; session tags on the
   * first, as transitive tags that later hops inherit; `durationSeconds`,
   * `sessionPolicy` and `sessionPolicyArns` on the last. AWS limits a
   * chained role session to one hour, so `durationSeconds` is at most
   * 3600. Each role's trust policy must trust the role of the hop before
   * it. Requires `roleName`.
   */
  assumeRoleChain?: AwsRoleChainHop[];
  /**
   * An inline session policy sent with the last AssumeRole (`Policy`), as
   * a policy document or a JSON string of one: the session may then do
   * only what both the role and this policy allow. At most 2,048
   * characters as compact JSON. A plugin's `sessionPolicy` or
   * `sessionPolicyArns` replaces this block's pair, unless this block is
   * the plugin's own. Requires `roleName`.
   */
  sessionPolicy?: string | { [key: string]: unknown };
  /**
   * Managed policies (up to 10 ARNs) sent with the last AssumeRole as
   * session policies (`PolicyArns`), e.g.
   * `arn:aws:iam::aws:policy/ReadOnlyAccess`. Requires `roleName`.
   */
  sessionPolicyArns?: string[];
  /**
   * The source identity of every AssumeRole of the session (`SourceIdentity`),
   * which CloudTrail records and no later hop can change: 2-64 letters,
   * digits and `+=,.@_-`; `{pluginId}` is replaced by the plugin's ID. Each
   * role's trust policy must allow `sts:SetSourceIdentity`. Most specific
   * wins, as for `roleSessionName`. Requires `roleName`; not with
   * `webIdentityTokenFile` (the token sets it).
   */
  sourceIdentity?: string;
}
