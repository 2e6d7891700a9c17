import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError } from '@backstage/errors';
import type { OrganizationDirectory } from '../accounts/organization/OrganizationDirectory';
import {
  LISTING_OWNER,
  startOrganization,
} from '../accounts/organization/startOrganization';
import { accountIdOfArn } from '../aws/identifiers';
import { keyPathsOf } from '../config/keyPaths';
import { cachingProvider } from '../cache/cachingProvider';
import { SourceCache, usersOf } from '../cache/SourceCache';
import { withTimeout } from '../cache/withTimeout';
import { AwsCredentialsMetrics } from '../metrics/AwsCredentialsMetrics';
import { callerAccountId } from '../providers/callerIdentity';
import { describeHow } from '../providers/CredentialSource';
import { ResolvedSource } from '../providers/resolveSource';
import { stsEndpointOf } from '../providers/sts';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts, MAIN_OWNER } from './ConfiguredAccounts';
import { LeastRecentlyUsed, LruLinks } from './LeastRecentlyUsed';
import { readConfig, snapshotOf } from './readConfig';
import { auditNewSession, hintFor, SessionUser } from './sessionEvents';

export { DEFAULT_CREDENTIALS_TIMEOUT_MS } from './readConfig';
export type { SessionUser } from './sessionEvents';

/** How many distinct ARNs keep their parsed account ID. */
const ARN_CACHE_SIZE = 10_000;

/** How many accounts reached through account defaults a backend holds, unless configured. */
export const DEFAULT_MAX_DEFAULT_ACCOUNTS = 10_000;

/**
 * An account reached through account defaults, as a view holds it: one of
 * the root's bounded number, told when it is evicted.
 */
export interface HeldAccount extends LruLinks<HeldAccount> {
  evicted(): void;
}

function maxDefaultAccountsOf(accounts: ConfiguredAccounts): number {
  return (
    accounts.config.cache?.maxDefaultAccounts ?? DEFAULT_MAX_DEFAULT_ACCOUNTS
  );
}

/** The main account's ID as STS told it, for the main source of `key`. */
type MainAccountId = { key: string; id: Promise<string>; learned?: string };

/**
 * What every plugin's view of the AWS credentials shares: the config in
 * force, one cache of role sessions, the main account's ID, and the bound
 * on the accounts reached through account defaults that the views hold. A
 * reload replaces the config; the cache keeps every session the new config
 * still has, and every view checks at once what it has handed out.
 */
export class CredentialsRoot {
  /**
   * Reads and validates the `aws` block of the root config.
   *
   * @throws `InputError` naming every bad key path and its fix.
   */
  static fromConfig(config: Config, logger?: LoggerService): CredentialsRoot {
    return new CredentialsRoot(snapshotOf(readConfig(config, logger)), logger);
  }

  /** A root for a config that {@link readConfig} has already read. */
  static fromValidated(
    config: AwsIntegrationConfig,
    logger?: LoggerService,
  ): CredentialsRoot {
    return new CredentialsRoot(snapshotOf(config), logger);
  }

  /** The instruments every view records to. */
  readonly metrics = new AwsCredentialsMetrics();
  #accounts: ConfiguredAccounts;
  #generation = 0;
  readonly #logger?: LoggerService;
  readonly #cache = new SourceCache<SessionUser>();
  readonly #arnAccounts = new Map<string, string | undefined>();
  readonly #held: LeastRecentlyUsed<HeldAccount>;
  readonly #reloadListeners: Array<() => void> = [];
  #mainAccountId: MainAccountId | undefined;
  #organization: OrganizationDirectory | undefined;

  private constructor(accounts: ConfiguredAccounts, logger?: LoggerService) {
    this.#logger = logger;
    this.#accounts = accounts;
    this.#held = new LeastRecentlyUsed<HeldAccount>(
      maxDefaultAccountsOf(accounts),
      account => account.evicted(),
    );
    this.#organization = this.#startOrganization(accounts);
  }

  /** The listing of `aws.organization`, when it is configured. */
  get organization(): OrganizationDirectory | undefined {
    return this.#organization;
  }

  /** Stops the organization's refreshes (the backend shuts down). */
  stop(): void {
    this.#organization?.stop();
  }

  /** Starts listing the organization of a config that has one. */
  #startOrganization(
    accounts: ConfiguredAccounts,
  ): OrganizationDirectory | undefined {
    return startOrganization(accounts, {
      accounts: () => this.#accounts,
      cached: (source, owner) => this.cached(source, owner),
      mainOwner: MAIN_OWNER,
      logger: this.#logger,
      // Handles of departed accounts must be looked up again.
      onDeparted: () => {
        this.#generation += 1;
        this.#notifyReload();
      },
    });
  }

  /** The config in force. */
  get accounts(): ConfiguredAccounts {
    return this.#accounts;
  }

  /**
   * Grows at every reload, so that a lookup that awaited something can
   * tell that the config it started under is no longer in force.
   */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Replaces the config. Sessions that the new config still has keep their
   * cached credentials; then every view checks, before this returns, what
   * it has handed out.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    const next = snapshotOf(readConfig(config, this.#logger));
    const previous = this.#accounts;
    this.#accounts = next;
    this.#generation += 1;
    // The last listing tells which sessions discovered accounts keep.
    const members = this.#organization?.snapshot?.accounts;
    this.#cache.retain(owner =>
      owner === LISTING_OWNER ? undefined : next.keyOf(owner, members),
    );
    this.#held.max = maxDefaultAccountsOf(next);
    const organization = JSON.stringify(next.config.organization ?? null);
    if (organization !== JSON.stringify(previous.config.organization ?? null)) {
      this.#organization?.stop();
      this.#organization = this.#startOrganization(next);
    }
    this.#notifyReload();
  }

  /** Tells every view that the accounts it serves may have changed. */
  #notifyReload() {
    for (const listener of this.#reloadListeners) {
      listener();
    }
  }

  /** Calls `listener` at every reload, once the new config is in force. */
  onReload(listener: () => void): void {
    this.#reloadListeners.push(listener);
  }

  /**
   * Holds an account reached through account defaults, or marks it as the
   * most recently used; beyond the bound, the least recently used one is
   * evicted.
   */
  hold(account: HeldAccount): void {
    this.#held.use(account);
  }

  /** No longer counts `account` against the bound (it is not evicted). */
  unhold(account: HeldAccount): void {
    this.#held.delete(account);
  }

  /** What the root keeps, for tests of memory. */
  get retained(): {
    sessions: number;
    arns: number;
    heldDefaultAccounts: number;
  } {
    return {
      sessions: this.#cache.size,
      arns: this.#arnAccounts.size,
      heldDefaultAccounts: this.#held.size,
    };
  }

  /** The account ID of an ARN seen before, without parsing it again. */
  knownArnAccount(arn: string | undefined): string | undefined {
    return arn === undefined ? undefined : this.#arnAccounts.get(arn);
  }

  /**
   * The account ID inside an ARN.
   *
   * @throws `InputError` for a malformed ARN.
   */
  arnAccount(arn: string): string | undefined {
    return this.#arnAccounts.get(arn) ?? accountIdOfArn(arn);
  }

  /**
   * Remembers the account of an ARN that a lookup found, for the warm
   * path; an ARN whose lookup failed is not kept.
   */
  rememberArn(arn: string, accountId: string): void {
    if (this.#arnAccounts.has(arn)) {
      return;
    }
    if (this.#arnAccounts.size >= ARN_CACHE_SIZE) {
      // Maps iterate in insertion order: this forgets the oldest entry.
      this.#arnAccounts.delete(this.#arnAccounts.keys().next().value!);
    }
    this.#arnAccounts.set(arn, accountId);
  }

  /**
   * The cached provider of a source, created on first use and held by
   * `owner` until it is released (or a reload moves the owner). `user`,
   * if given, is told of every new role session of it while `owner` holds
   * it.
   */
  cached(
    source: ResolvedSource,
    owner: string,
    user?: SessionUser,
  ): AwsCredentialIdentityProvider {
    const accounts = this.#accounts;
    const entry = this.#cache.get(source.key, owner, user, created => {
      const { description } = source;
      const context = { timeoutMs: accounts.timeoutMs, logger: this.#logger };
      // A chain's hop is signed by the previous hop's cached session.
      const { signedBy } = source;
      if (signedBy) {
        created.signedBy = signedBy.key;
      }
      let signer: AwsCredentialIdentityProvider | undefined;
      if (signedBy) {
        signer = this.cached(signedBy, owner);
      } else if (owner !== MAIN_OWNER) {
        signer = this.cached(accounts.main, MAIN_OWNER);
      }
      const recordFetch = this.metrics.fetchRecorder(description);
      return cachingProvider(
        source.createFetch(context, signer!),
        {
          subject: description.subject,
          how: () => describeHow(description, stsEndpointOf),
          hint: error => hintFor(description, error),
          logFields: {
            accountId: description.accountId ?? 'main',
            roleArn: description.roleArn,
            stsRegion: description.stsRegion,
            roleSessionName: description.roleSessionName,
          },
        },
        {
          ...context,
          onFetch: event => {
            recordFetch(event);
            auditNewSession(description, usersOf(created), event);
          },
        },
      );
    });
    return entry.provider;
  }

  /** `owner` no longer holds the session of `key`; a session nobody holds is forgotten. */
  release(key: string, owner: string): void {
    this.#cache.release(key, owner);
  }

  /** The main account's ID if it is configured or already learned. */
  knownMainAccountId(): string | undefined {
    const accounts = this.#accounts;
    return (
      accounts.config.mainAccount.accountId ??
      (this.#mainAccountId?.key === accounts.main.key
        ? this.#mainAccountId.learned
        : undefined)
    );
  }

  /**
   * The main account's ID: configured, or asked of STS once per main
   * source. A failure is not remembered, and the answer belongs to the
   * root, so a reload during the call cannot lose it.
   */
  mainAccountId(): Promise<string> {
    const accounts = this.#accounts;
    const { mainAccount } = accounts.config;
    if (mainAccount.accountId) {
      return Promise.resolve(mainAccount.accountId);
    }
    const key = accounts.main.key;
    if (this.#mainAccountId?.key !== key) {
      const credentials = this.cached(accounts.main, MAIN_OWNER);
      const state: MainAccountId = {
        key,
        id: withTimeout(
          signal =>
            callerAccountId(
              credentials,
              mainAccount,
              accounts.timeoutMs,
              signal,
              accounts.config.sts,
            ),
          accounts.timeoutMs,
        ).then(
          learned => {
            state.learned = learned;
            return learned;
          },
          error => {
            if (this.#mainAccountId === state) {
              this.#mainAccountId = undefined; // a failure is not remembered
            }
            throw new ForwardedError(
              `Could not learn the main AWS account ID through STS GetCallerIdentity; ${
                keyPathsOf(accounts.config).mainAccountIdFix
              } to skip this call`,
              error,
            );
          },
        ),
      };
      this.#mainAccountId = state;
    }
    return this.#mainAccountId!.id;
  }
}
