import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError } from '@backstage/errors';
import { accountIdOfArn } from '../aws/identifiers';
import { keyPathsOf } from '../config/keyPaths';
import { cachingProvider } from '../cache/cachingProvider';
import { SourceCache } from '../cache/SourceCache';
import { withTimeout } from '../cache/withTimeout';
import { AwsCredentialsMetrics } from '../metrics/AwsCredentialsMetrics';
import { callerAccountId } from '../providers/callerIdentity';
import { describeHow } from '../providers/CredentialSource';
import { ResolvedSource } from '../providers/resolveSource';
import { stsEndpointOf } from '../providers/sts';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts, MAIN_OWNER } from './ConfiguredAccounts';
import { readConfig, snapshotOf } from './readConfig';
import { auditNewSession, hintFor, SessionUser } from './sessionEvents';

export { DEFAULT_CREDENTIALS_TIMEOUT_MS } from './readConfig';
export type { SessionUser } from './sessionEvents';

/** How many distinct ARNs keep their parsed account ID. */
const ARN_CACHE_SIZE = 10_000;

/** The main account's ID as STS told it, for the main source of `key`. */
type MainAccountId = { key: string; id: Promise<string>; learned?: string };

/**
 * What every plugin's view of the AWS credentials shares: the config in
 * force, one cache of role sessions, and the main account's ID. A reload
 * replaces the config; the cache keeps every session the new config still
 * has.
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
  #mainAccountId: MainAccountId | undefined;

  private constructor(accounts: ConfiguredAccounts, logger?: LoggerService) {
    this.#logger = logger;
    this.#accounts = accounts;
  }

  /** The config in force. */
  get accounts(): ConfiguredAccounts {
    return this.#accounts;
  }

  /** Grows at every reload, so that views can tell their handles are stale. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Replaces the config. Sessions that the new config still has keep their
   * cached credentials.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    const next = snapshotOf(readConfig(config, this.#logger));
    this.#accounts = next;
    this.#generation += 1;
    this.#cache.retain(owner => next.keyOf(owner));
  }

  /** The account ID of an ARN seen before, without parsing it again. */
  knownArnAccount(arn: string | undefined): string | undefined {
    return arn === undefined ? undefined : this.#arnAccounts.get(arn);
  }

  /**
   * The account ID inside an ARN, remembered for the next lookup.
   *
   * @throws `InputError` for a malformed ARN.
   */
  arnAccount(arn: string): string | undefined {
    if (this.#arnAccounts.has(arn)) {
      return this.#arnAccounts.get(arn);
    }
    const accountId = accountIdOfArn(arn);
    if (this.#arnAccounts.size >= ARN_CACHE_SIZE) {
      // Maps iterate in insertion order: this forgets the oldest entry.
      this.#arnAccounts.delete(this.#arnAccounts.keys().next().value!);
    }
    this.#arnAccounts.set(arn, accountId);
    return accountId;
  }

  /**
   * The cached provider of a source, created on first use. `user`, if
   * given, is told of every new role session of it.
   */
  cached(
    source: ResolvedSource,
    owner: string,
    user?: SessionUser,
  ): AwsCredentialIdentityProvider {
    const accounts = this.#accounts;
    const entry = this.#cache.get(source.key, owner, created => {
      const { description } = source;
      const context = { timeoutMs: accounts.timeoutMs, logger: this.#logger };
      const main =
        owner === MAIN_OWNER
          ? undefined
          : this.cached(accounts.main, MAIN_OWNER);
      const recordFetch = this.metrics.fetchRecorder(description);
      return cachingProvider(
        source.createFetch(context, main!),
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
            auditNewSession(description, created.users, event);
          },
        },
      );
    });
    if (user) {
      entry.users.add(user);
    }
    return entry.provider;
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
