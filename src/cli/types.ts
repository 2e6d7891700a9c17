import type { ConfigWarning } from '../config';
import type { CredentialSourceDescription } from '../providers/CredentialSource';
import type { LoadErrorLocation } from './describeLoadError';
import type { UnsetVariable } from './unsetVariables';

/** How one role of a chain fared in a probe, in the chain's order. */
export type HopResult = {
  roleArn: string;
  result: 'ok' | 'failed' | 'not reached';
};

/** What the probe of one account found. */
export type ProbeResult =
  | {
      ok: true;
      /** For a role chain: every role assumed, the account's own last. */
      hops?: HopResult[];
      /** The ARN STS GetCallerIdentity named for the credentials. */
      callerArn: string;
      /** The account STS GetCallerIdentity named for the credentials. */
      callerAccount: string;
      /** ISO time the credentials expire; absent for keys that do not. */
      expiration?: string;
    }
  | {
      ok: false;
      /** For a role chain: which hop failed, and those before it that worked. */
      hops?: HopResult[];
      /** STS's error code, `TimeoutError`, `NotFoundError`, ... */
      code: string;
      /** What failed, as the manager or STS said it; never a secret. */
      message: string;
      /** What to do about it. */
      fix: string;
    };

/** One row of the check: an account and where its credentials come from. */
export type AccountRow = {
  /** The 12-digit ID to look up; absent for the main account. */
  accountId?: string;
  /** The account's description; absent when nothing in config serves it. */
  source?: CredentialSourceDescription;
  /**
   * The first 4 characters of the access key ID in app-config that the
   * credentials come from (or that signs the AssumeRole), if any.
   */
  accessKeyIdPrefix?: string;
  /** Whether an external ID is configured; never its value. */
  externalId: boolean;
  /** The STS endpoint of `source.stsRegion`, as the SDK would call it. */
  stsEndpoint?: string;
  /** Named with `--account` on the command line. */
  requested: boolean;
  probe?: ProbeResult;
};

/** Everything `check` found, for the table and the JSON document. */
export type CheckReport = {
  /** The config files read, and `env` for APP_CONFIG_* variables. */
  configSources: string[];
  /**
   * Where the accounts come from: `aws` (the aws block) or the aws
   * connection, e.g. `connections[0]`; absent when the config is invalid.
   */
  accountsFrom?: string;
  /**
   * Set when the config could not be loaded at all: the file, line,
   * column and key path where known, and the problem; never an excerpt
   * of the source.
   */
  loadError?: string;
  /** Where the load failed, as far as is known. */
  loadErrorLocation?: LoadErrorLocation;
  /**
   * Each `${VAR}` of the `aws` and `connections` blocks whose variable is
   * not set, so that the config loader left its key out.
   */
  unsetVariables: UnsetVariable[];
  /** Each mistake of the `aws` block, as `<key path>: <problem and fix>`. */
  problems: string[];
  warnings: ConfigWarning[];
  /** The main account first, then the declared and the requested accounts. */
  accounts: AccountRow[];
  /** How accounts not listed are reached, with `{accountId}` in the role ARN. */
  accountDefaults?: AccountRow;
  /** The organization's accounts, when `aws.organization` is set. */
  organization?: OrganizationReport;
  /** aws.credentialsTimeout in milliseconds, or the default. */
  timeoutMs: number;
  /** Whether the accounts were probed. */
  probed: boolean;
  /** No problem, no unset variable, and every probed account works. */
  ok: boolean;
};

/** One account of the organization, as `check --probe` listed it. */
export type OrganizationAccountRow = {
  accountId: string;
  /** The account's name in the organization. */
  name?: string;
  /** The direct parent OU, when the listing walked the OU tree. */
  organizationalUnitId?: string;
  /** The account's tags, when `accountTags` made the listing read them. */
  tags?: Record<string, string>;
  /** The role assumed in it: `organization.roleName` in the account. */
  roleArn: string;
  probe?: ProbeResult;
};

/** The accounts discovered through `aws.organization`. */
export type OrganizationReport = {
  configPath: 'aws.organization';
  roleName: string;
  /** The role that lists the organization; absent: the main account lists it. */
  listAccountsRoleArn?: string;
  /** Whether the organization was listed: `check` calls Organizations only with `--probe`. */
  listed: boolean;
  /** The accounts the plugin (or a manager of no plugin) may use, allow-lists applied. */
  accounts: OrganizationAccountRow[];
  /** Why the listing failed, if it did. */
  listingError?: { code: string; message: string; fix: string };
};
