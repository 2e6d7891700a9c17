import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ForwardedError } from '@backstage/errors';
import { safeCause } from '../aws/safeCause';
import type { Fetch } from '../providers/CredentialSource';
import { withTimeout } from './withTimeout';

/** What the cache says of a source, for messages and logs. */
export type CacheSubject = {
  /** e.g. "account 111111111111" or "the main account" */
  subject: string;
  /** e.g. "by assuming role … through STS in us-east-1"; called only for messages. */
  how: () => string;
  /** What to check for a given failure, if the source knows better than STS's message. */
  hint?: (error: unknown) => string | undefined;
  /** Fields for log lines; never secrets. */
  logFields: Record<string, string | undefined>;
};

/** One fetch as it ended, for metrics. */
export type FetchEvent = {
  outcome: 'success' | 'failure';
  /** true for a background refresh (or re-read) of credentials still served. */
  refresh: boolean;
  durationMs: number;
  /** On failure: STS's error code, `TimeoutError`, ... */
  errorType?: string;
};

/** Tuning of the cache; the defaults suit real STS credentials. */
export type CachingOptions = {
  /** How long one fetch may take before it fails and its work is aborted. */
  timeoutMs: number;
  /** Refresh this long before expiry (or halfway, for shorter lives). */
  refreshAheadMs?: number;
  /** After a failed refresh of still-valid credentials, wait this long. */
  retryAfterFailureMs?: number;
  /** Stop handing out credentials this long before they expire (a tenth of their life, if shorter). */
  expiryMarginMs?: number;
  /**
   * Read credentials that have no expiration again this often, so keys
   * rotated in a file or the environment are picked up. Infinity for keys
   * that only a config reload can change.
   */
  rereadAfterMs?: number;
  logger?: LoggerService;
  /** Told of every fetch. */
  onFetch?: (event: FetchEvent) => void;
  /** The clock; tests may replace it. */
  now?: () => number;
};

/** The defaults, as docs/caching.md states them. */
export const CACHE_DEFAULTS = {
  refreshAheadMs: 5 * 60_000,
  retryAfterFailureMs: 5_000,
  expiryMarginMs: 10_000,
  rereadAfterMs: 10 * 60_000,
};

type Cached = {
  credentials: AwsCredentialIdentity;
  /** Time after which a refresh starts. */
  refreshAt: number;
  /** Time after which these credentials are never handed out. */
  expiresAt: number;
};

/** A copy for one caller: the SDK writes on what it is given. */
function handOut(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  const copy = { ...credentials };
  if (credentials.expiration) {
    copy.expiration = new Date(credentials.expiration.getTime());
  }
  return copy;
}

function errorType(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? 'Error';
}

/**
 * Wraps a source's fetch so that it runs once and then hands the same
 * credentials to every caller until they near expiry; concurrent callers
 * share one fetch, a failed fetch is not kept, a fetch that runs out of
 * time is aborted, and credentials that fail to refresh keep being served
 * while they are still valid. Every provider the manager hands out passes
 * through here, so no other code caches, retries or times out.
 */
export function cachingProvider(
  fetch: Fetch,
  source: CacheSubject,
  options: CachingOptions,
): AwsCredentialIdentityProvider {
  const { timeoutMs, logger, onFetch } = options;
  const refreshAheadMs =
    options.refreshAheadMs ?? CACHE_DEFAULTS.refreshAheadMs;
  const retryAfterFailureMs =
    options.retryAfterFailureMs ?? CACHE_DEFAULTS.retryAfterFailureMs;
  const expiryMarginMs =
    options.expiryMarginMs ?? CACHE_DEFAULTS.expiryMarginMs;
  const rereadAfterMs = options.rereadAfterMs ?? CACHE_DEFAULTS.rereadAfterMs;
  const now = options.now ?? Date.now;

  let cached: Cached | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let lastFailureAt = -Infinity;
  let warnedSinceLastSuccess = false;

  function remember(credentials: AwsCredentialIdentity): Cached {
    const fetchedAt = now();
    const expiration = credentials.expiration?.getTime();
    if (expiration === undefined) {
      return {
        credentials,
        refreshAt: fetchedAt + rereadAfterMs,
        expiresAt: Infinity,
      };
    }
    const lifetime = Math.max(0, expiration - fetchedAt);
    return {
      credentials,
      refreshAt: expiration - Math.min(refreshAheadMs, lifetime / 2),
      expiresAt: expiration - Math.min(expiryMarginMs, lifetime / 10),
    };
  }

  /**
   * Refuses an answer that could not be handed out: credentials that have
   * already expired (whatever was cached before, so a new provider and an
   * old one answer alike), and credentials that expire no later than the
   * cached ones. The latter is what a source with a cache of its own hands
   * back at a refresh: the same credentials, soon inside the expiry margin.
   * Once the cached ones are past their margin, that rule only refuses
   * answers with at most the margin left, so any answer that lives longer
   * is served: the cached credentials can never keep a provider failing.
   * Credentials that do not expire are never older than ones that do.
   */
  function checkUsable(credentials: AwsCredentialIdentity) {
    const after = credentials.expiration?.getTime();
    if (after === undefined) {
      return;
    }
    if (after <= now()) {
      throw staleError(
        `the source returned credentials that expired at ${new Date(
          after,
        ).toISOString()}`,
      );
    }
    const before = cached?.credentials.expiration?.getTime();
    if (before !== undefined && after <= before) {
      throw staleError(
        `the source returned credentials that are not newer than the current ones, which expire at ${new Date(
          before,
        ).toISOString()}`,
      );
    }
  }

  function fetchOnce(refresh: boolean): Promise<AwsCredentialIdentity> {
    if (!pending) {
      const startedAt = now();
      const report = (event: Omit<FetchEvent, 'refresh' | 'durationMs'>) => {
        try {
          onFetch?.({ ...event, refresh, durationMs: now() - startedAt });
        } catch {
          // Metrics and audit never break credentials.
        }
      };
      pending = withTimeout(abortSignal => fetch({ abortSignal }), timeoutMs)
        .then(credentials => {
          checkUsable(credentials);
          return credentials;
        })
        .then(
          credentials => {
            cached = remember(credentials);
            warnedSinceLastSuccess = false;
            report({ outcome: 'success' });
            logger?.debug(`Obtained AWS credentials for ${source.subject}`, {
              ...source.logFields,
              expiration: credentials.expiration?.toISOString(),
            });
            return credentials;
          },
          error => {
            lastFailureAt = now();
            report({ outcome: 'failure', errorType: errorType(error) });
            throw wrapError(error, source);
          },
        )
        .finally(() => {
          pending = undefined;
        });
    }
    return pending;
  }

  function refreshInBackground(current: Cached) {
    fetchOnce(true).catch(error => {
      if (!warnedSinceLastSuccess) {
        warnedSinceLastSuccess = true;
        const until =
          current.expiresAt === Infinity
            ? 'until a read succeeds'
            : `until ${new Date(current.expiresAt).toISOString()}`;
        logger?.warn(
          `Could not refresh AWS credentials for ${source.subject}; serving the current ones ${until}: ${error.message}`,
          source.logFields,
        );
      }
    });
  }

  return async () => {
    const t = now();
    const current = cached;
    if (current && t < current.expiresAt) {
      if (
        t >= current.refreshAt &&
        !pending &&
        t - lastFailureAt >= retryAfterFailureMs
      ) {
        refreshInBackground(current);
      }
      return handOut(current.credentials);
    }
    return handOut(await fetchOnce(false));
  };
}

function staleError(message: string): Error {
  const error = new Error(message);
  error.name = 'StaleCredentials';
  return error;
}

/**
 * Names the account, the role, the STS region and endpoint and STS's error
 * code, and keeps a safe copy of the original error as the cause (see
 * {@link safeCause}: the SDK's error holds the signed request).
 */
function wrapError(error: unknown, source: CacheSubject): Error {
  // ForwardedError appends "caused by <code>: <message>" and takes the
  // cause's name, so callers can still branch on STS's error code.
  const hint = source.hint?.(error);
  return new ForwardedError(
    `Could not obtain AWS credentials for ${source.subject} ${source.how()}${
      hint ? ` (${hint})` : ''
    }`,
    safeCause(error),
  );
}
