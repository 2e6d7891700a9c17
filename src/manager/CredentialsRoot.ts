import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError } from '@backstage/errors';
import { accountIdOfArn } from '../aws/identifiers';
import { cachingProvider, FetchEvent } from '../cache/cachingProvider';
import { SourceCache } from '../cache/SourceCache';
import { withTimeout } from '../cache/withTimeout';
import { configWarnings, readAwsBlock } from '../config';
import { AwsCredentialsMetrics } from '../metrics/AwsCredentialsMetrics';
import { callerAccountId } from '../providers/callerIdentity';
import {
  CredentialSourceDescription,
  describeHow,
  kindWords,
} from '../providers/CredentialSource';
import { ResolvedSource } from '../providers/resolveSource';
import { stsEndpointOf } from '../providers/sts';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts, MAIN_OWNER } from './ConfiguredAccounts';

/** How long one attempt to obtain credentials may take, unless configured. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

/** How many distinct ARNs keep their parsed account ID. */
const ARN_CACHE_SIZE = 10_000;

/** The main account's ID as STS told it, for the main source of `key`. */
type MainAccountId = { key: string; id: Promise<string>; learned?: string };

/** A plugin that uses a cached session, told when a new one is issued. */
export type SessionUser = { pluginId?: string; auditor: AuditorService };

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
    return new CredentialsRoot(readConfig(config, logger), logger);
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
    const next = readConfig(config, this.#logger);
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
              'Could not learn the main AWS account ID through STS GetCallerIdentity; set aws.mainAccount.accountId to skip this call',
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

function snapshotOf(config: AwsIntegrationConfig): ConfiguredAccounts {
  return new ConfiguredAccounts(
    config,
    config.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
  );
}

/** Reads the `aws` block and logs what start-up should say about it. */
function readConfig(
  config: Config,
  logger?: LoggerService,
): ConfiguredAccounts {
  const aws = config.getOptional('aws');
  const result: AwsIntegrationConfig =
    aws === undefined
      ? { accounts: [], mainAccount: {}, accountDefaults: {} }
      : readAwsBlock(aws);
  for (const warning of configWarnings(result)) {
    logger?.warn(warning.message, { path: warning.path });
  }
  const accounts = snapshotOf(result);
  const main = accounts.main.description;
  const plugins = Object.keys(result.plugins ?? {});
  logger?.info(
    `AWS credentials: ${
      result.accounts.length
    } account(s) configured, main account uses ${kindWords(
      main.kind,
    )}, account defaults ${
      result.accountDefaults.roleName ? 'apply' : 'do not apply'
    }${plugins.length ? `, plugin settings for ${plugins.join(', ')}` : ''}`,
    {
      accounts: result.accounts.length,
      mainAccount: kindWords(main.kind),
      accountDefaults: Boolean(result.accountDefaults.roleName),
      ...(plugins.length && { plugins: plugins.join(',') }),
    },
  );
  return accounts;
}

/** What to check when STS refuses a session with tags or a duration. */
function hintFor(
  d: CredentialSourceDescription,
  error: unknown,
): string | undefined {
  const name = (error as Error)?.name;
  if (name === 'AccessDenied' && d.sessionTags) {
    return `the session carries tags, so the trust policy of ${d.roleArn} must allow sts:TagSession as well as sts:AssumeRole`;
  }
  if (
    name === 'ValidationError' &&
    d.durationSeconds !== undefined &&
    /duration/i.test(String((error as Error).message))
  ) {
    return `durationSeconds (${d.durationSeconds}) is more than the maximum session duration of ${d.roleArn}; lower it, or raise the role's maximum session duration in IAM`;
  }
  return undefined;
}

/** A low-severity audit event for each plugin using a newly issued role session. */
function auditNewSession(
  d: CredentialSourceDescription,
  users: Set<SessionUser>,
  event: FetchEvent,
) {
  if (
    event.outcome !== 'success' ||
    (d.kind !== 'assume_role' && d.kind !== 'web_identity')
  ) {
    return;
  }
  for (const { auditor } of users) {
    Promise.resolve()
      .then(() =>
        auditor.createEvent({
          eventId: 'role-session-issued',
          severityLevel: 'low',
          meta: {
            accountId: d.accountId ?? null,
            roleArn: d.roleArn ?? null,
            roleSessionName: d.roleSessionName ?? null,
            refresh: event.refresh,
          },
        }),
      )
      .then(e => e.success())
      .catch(() => {}); // auditing never breaks credentials
  }
}
