/* eslint-disable @typescript-eslint/no-require-imports */
import type * as OpenTelemetry from '@opentelemetry/api';
import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import type { FetchEvent } from '../cache/cachingProvider';
import {
  CredentialSourceDescription,
  MAIN_SUBJECT,
} from '../providers/CredentialSource';

/** The instrumentation scope of every instrument: the package's name. */
export const METER_NAME = 'backstage-aws-credentials';

/** The instrument names, as docs/metrics.md documents them. */
export const METRIC_NAMES = {
  fetches: 'backstage.aws_credentials.fetches',
  fetchDuration: 'backstage.aws_credentials.fetch.duration',
  lookups: 'backstage.aws_credentials.lookups',
} as const;

/**
 * What became of one `getCredentialProvider` call. `error` is a failure
 * that is none of the others, e.g. STS could not tell the main account's
 * ID.
 */
export type LookupOutcome =
  | 'found'
  | 'not_found'
  | 'not_allowed'
  | 'invalid'
  | 'error';

/** The outcome of a failed lookup, by the name of its error (kept by `ForwardedError`). */
const OUTCOME_OF_ERROR = new Map<unknown, LookupOutcome>([
  ['NotFoundError', 'not_found'],
  ['NotAllowedError', 'not_allowed'],
  ['InputError', 'invalid'],
]);

/**
 * Seconds: a fetch from a file or the environment takes milliseconds, one
 * through STS tens to hundreds of them, and the default timeout is 10 s.
 */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

type Instruments = {
  fetches: Counter;
  fetchDuration: Histogram;
  lookups: Counter;
};

function createInstruments(): Instruments {
  // Loaded at the first record, not at import: importing the package and
  // reading the config stay as cheap as without metrics.
  const { metrics } = require('@opentelemetry/api') as typeof OpenTelemetry;
  const { version } = require('../../package.json') as { version: string };
  const meter = metrics.getMeter(METER_NAME, version);
  return {
    fetches: meter.createCounter(METRIC_NAMES.fetches, {
      description:
        'Fetches of AWS credentials from their source (STS, a profile, static keys, the default chain), background refreshes included',
      unit: '{fetch}',
    }),
    fetchDuration: meter.createHistogram(METRIC_NAMES.fetchDuration, {
      description:
        'How long a fetch of AWS credentials from their source took, until it succeeded, failed or timed out',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    lookups: meter.createCounter(METRIC_NAMES.lookups, {
      description:
        'Calls of getCredentialProvider, by whether an account was found for them',
      unit: '{lookup}',
    }),
  };
}

/**
 * A block of a list of accounts: `aws.accounts[2]`,
 * `aws.plugins.x.accounts[0]`, or an auth entry of an aws connection,
 * `connections[0].auth[1]`.
 */
const DECLARED_ACCOUNT_PATH =
  /^(aws\.(plugins\.[^.]+\.)?accounts|connections\[\d+\]\.auth)\[\d+\]$/;

/**
 * Account IDs become an attribute only for accounts listed in config
 * (`aws.accounts`, a plugin's `accounts`, a connection's auth entries),
 * whose number the config bounds; the main account and account defaults
 * (which serve any account ID a plugin asks for) are told apart by their
 * `source` alone.
 */
function boundedAccountId(
  description: CredentialSourceDescription,
): string | undefined {
  return DECLARED_ACCOUNT_PATH.test(description.configPath) &&
    description.subject !== MAIN_SUBJECT
    ? description.accountId
    : undefined;
}

/** Counts lookups for one plugin; `found` runs on every warm lookup. */
export class LookupRecorder {
  readonly #lookups: () => Counter;
  readonly #attributes: Record<LookupOutcome, Attributes>;
  #counter: Counter | undefined;

  /** `lookups` gives the counter, created on first use. */
  constructor(lookups: () => Counter, pluginId?: string) {
    this.#lookups = lookups;
    const attributesOf = (outcome: LookupOutcome): Attributes =>
      pluginId === undefined
        ? { outcome }
        : { outcome, 'backstage.plugin.id': pluginId };
    this.#attributes = {
      found: attributesOf('found'),
      not_found: attributesOf('not_found'),
      not_allowed: attributesOf('not_allowed'),
      invalid: attributesOf('invalid'),
      error: attributesOf('error'),
    };
  }

  /** Counts a lookup that found its account. */
  found(): void {
    this.#counter ??= this.#lookups();
    this.#counter.add(1, this.#attributes.found);
  }

  /** Counts a lookup that failed with `error`. */
  failed(error: unknown): void {
    const name = (error as { name?: unknown } | undefined)?.name;
    const outcome = OUTCOME_OF_ERROR.get(name) ?? 'error';
    this.#counter ??= this.#lookups();
    this.#counter.add(1, this.#attributes[outcome]);
  }

  /** For `promise.then(...)`: counts a found account and passes it on. */
  readonly onFound = <T>(value: T): T => {
    this.found();
    return value;
  };

  /** For `promise.then(..., ...)`: counts a failure and rethrows it. */
  readonly onFailed = (error: unknown): never => {
    this.failed(error);
    throw error;
  };
}

/**
 * The OpenTelemetry instruments of one manager, created from the global
 * meter provider on first use: a backend without an OpenTelemetry SDK
 * gets the API's no-op instruments, and one whose SDK is registered
 * before the first lookup gets real ones.
 */
export class AwsCredentialsMetrics {
  #created: Instruments | undefined;

  get #instruments(): Instruments {
    this.#created ??= createInstruments();
    return this.#created;
  }

  /**
   * Counts the lookups of one plugin (or of callers that are no plugin),
   * with its attribute sets built once, so counting allocates nothing.
   */
  lookups(pluginId?: string): LookupRecorder {
    return new LookupRecorder(() => this.#instruments.lookups, pluginId);
  }

  /** The `onFetch` of a cached source: records each fetch. */
  fetchRecorder(
    description: CredentialSourceDescription,
  ): (event: FetchEvent) => void {
    const accountId = boundedAccountId(description);
    const base: Attributes = { source: description.kind };
    if (accountId) {
      base.account_id = accountId;
    }
    return event => {
      const attributes: Attributes = {
        ...base,
        outcome: event.outcome,
        refresh: event.refresh,
      };
      if (event.outcome === 'failure') {
        attributes['error.type'] = event.errorType ?? 'Error';
      }
      const { fetches, fetchDuration } = this.#instruments;
      fetches.add(1, attributes);
      fetchDuration.record(event.durationMs / 1000, attributes);
    };
  }
}
