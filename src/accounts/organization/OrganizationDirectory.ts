import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ForwardedError } from '@backstage/errors';
import type { AwsIntegrationOrganizationConfig } from '../../types';
import {
  listOrganizationAccounts,
  notAnswered,
} from './listOrganizationAccounts';
import type { DiscoveredAccount, ListingEvent, Scheduler } from './types';

/** The first wait after a failed listing; it doubles, up to `refresh`. */
const RETRY_BASE_MS = 30_000;

/** The accounts of one successful listing. */
export type OrganizationSnapshot = {
  accounts: ReadonlyMap<string, DiscoveredAccount>;
  listedAt: number;
};

export type OrganizationDirectoryOptions = {
  config: AwsIntegrationOrganizationConfig;
  /** Signs the listing: the listing role's session or the main account's. */
  credentials: AwsCredentialIdentityProvider;
  /** How long one call may take, and a lookup waits for the first listing. */
  timeoutMs: number;
  logger?: LoggerService;
  /** Told of every listing attempt (metrics). */
  onListing?: (event: ListingEvent) => void;
  /** Told when a successful listing drops accounts that were there before. */
  onDeparted?: (accountIds: string[]) => void;
  scheduler?: Scheduler;
  /** Waits between throttled calls. */
  sleep?: (ms: number) => Promise<void>;
};

const realScheduler: Scheduler = {
  setTimeout(run, ms) {
    // Unref'd: a pending refresh never keeps the process alive.
    return setTimeout(run, ms).unref();
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
  now: () => Date.now(),
};

/**
 * The accounts of an AWS organization, listed at start and every
 * `refresh`. A failed listing keeps the last good one, is logged once per
 * run of failures, and is retried with a backoff that never waits longer
 * than `refresh`. One per backend: every plugin reads the same listing.
 */
export class OrganizationDirectory {
  readonly config: AwsIntegrationOrganizationConfig;
  readonly #options: OrganizationDirectoryOptions;
  readonly #scheduler: Scheduler;
  #snapshot: OrganizationSnapshot | undefined;
  #inFlight: Promise<void> | undefined;
  #timer: unknown;
  #failures = 0;
  #lastError: unknown;
  /** The Organizations call of the listing in flight that was sent last. */
  #pendingCall: string | undefined;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(options: OrganizationDirectoryOptions) {
    this.config = options.config;
    this.#options = options;
    this.#scheduler = options.scheduler ?? realScheduler;
  }

  /** Starts the first listing; the next ones follow on their own. */
  start(): void {
    if (!this.#inFlight && this.#timer === undefined && !this.#stopped) {
      this.#run();
    }
  }

  /** Stops refreshing; a listing in flight is abandoned. */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer !== undefined) {
      this.#scheduler.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** The last good listing, if any. */
  get snapshot(): OrganizationSnapshot | undefined {
    return this.#snapshot;
  }

  /** Lists again now (for `check` and tests), unless a listing is in flight. */
  refreshNow(): Promise<void> {
    if (!this.#inFlight && !this.#stopped) {
      if (this.#timer !== undefined) {
        this.#scheduler.clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      this.#run();
    }
    return this.#inFlight ?? Promise.resolve();
  }

  /**
   * The last good listing; before the first one, waits for the listing in
   * flight up to `timeoutMs`.
   *
   * @throws `ForwardedError` naming why the organization could not be listed.
   */
  async current(): Promise<OrganizationSnapshot> {
    if (this.#snapshot) {
      return this.#snapshot;
    }
    const inFlight = this.#inFlight;
    if (inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        inFlight,
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, this.#options.timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (this.#snapshot) {
        return this.#snapshot;
      }
    }
    throw this.#unavailable(inFlight !== undefined && !this.#lastError);
  }

  #unavailable(timedOut: boolean): Error {
    const what =
      'The accounts of the AWS organization (aws.organization) have not been listed yet';
    const fix =
      'check that the listing role (aws.organization.listAccountsRoleArn, else the main account) may call organizations:ListAccounts, or list the account in aws.accounts';
    const cause =
      timedOut || this.#lastError === undefined
        ? notAnswered(
            this.#pendingCall ?? 'ListAccounts',
            this.#options.timeoutMs,
          )
        : this.#lastError;
    return new ForwardedError(`${what}; ${fix}`, cause);
  }

  #run(): void {
    this.#timer = undefined;
    this.#pendingCall = undefined;
    const started = this.#scheduler.now();
    this.#inFlight = listOrganizationAccounts({
      config: this.config,
      credentials: this.#options.credentials,
      timeoutMs: this.#options.timeoutMs,
      sleep: this.#options.sleep,
      abortSignal: this.#abort.signal,
      onCall: action => {
        this.#pendingCall = action;
      },
    })
      .then(
        listing => {
          if (this.#stopped) {
            return; // abandoned: neither kept nor reported
          }
          const accounts = new Map(
            listing.accounts.map(a => [a.accountId, a] as const),
          );
          this.#succeeded(accounts);
          this.#options.onListing?.({
            durationMs: this.#scheduler.now() - started,
            calls: listing.calls,
            accounts: accounts.size,
          });
        },
        error => {
          if (this.#stopped) {
            return;
          }
          this.#failed(error);
          this.#options.onListing?.({
            durationMs: this.#scheduler.now() - started,
            calls: 0,
            error,
          });
        },
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
  }

  #succeeded(accounts: Map<string, DiscoveredAccount>) {
    const previous = this.#snapshot;
    this.#snapshot = { accounts, listedAt: this.#scheduler.now() };
    const logger = this.#options.logger;
    if (this.#failures > 0) {
      logger?.info(
        `Listed the AWS organization's accounts again after ${
          this.#failures
        } failed attempt(s)`,
        { accounts: accounts.size },
      );
    }
    this.#failures = 0;
    this.#lastError = undefined;
    const departed = previous
      ? [...previous.accounts.keys()].filter(id => !accounts.has(id))
      : [];
    if (
      !previous ||
      departed.length > 0 ||
      previous.accounts.size !== accounts.size
    ) {
      logger?.info(
        `Discovered ${accounts.size} AWS accounts in the organization (aws.organization)`,
        { accounts: accounts.size, departed: departed.length },
      );
    }
    if (departed.length > 0) {
      this.#options.onDeparted?.(departed);
    }
    this.#schedule(this.config.refreshMs);
  }

  #failed(error: unknown) {
    this.#failures += 1;
    this.#lastError = error;
    const delay = Math.min(
      RETRY_BASE_MS * 2 ** (this.#failures - 1),
      this.config.refreshMs,
    );
    if (this.#failures === 1) {
      const kept = this.#snapshot
        ? `keeping the last list of ${this.#snapshot.accounts.size} accounts`
        : 'no account of the organization can be served until it succeeds';
      this.#options.logger?.warn(
        `Could not list the accounts of the AWS organization (aws.organization); ${kept}; retrying with backoff: ${error}`,
      );
    }
    this.#schedule(delay);
  }

  #schedule(ms: number) {
    this.#timer = this.#scheduler.setTimeout(() => this.#run(), ms);
  }
}
