import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ForwardedError } from '@backstage/errors';

/** What an account's credentials come from, for messages and logs. */
export type CredentialSource = {
  /** e.g. "account 111111111111" or "the main account" */
  subject: string;
  /**
   * e.g. "by assuming role arn:aws:iam::…:role/x through STS in us-east-1";
   * a function, as working out the endpoint loads SDK code that only an
   * error message needs.
   */
  how: () => string;
  /** Fields for log lines; never secrets. */
  logFields: Record<string, string | undefined>;
};

/** Tuning of the cache; the defaults suit real STS credentials. */
export type CachingOptions = {
  /** How long one fetch may take before it fails. */
  timeoutMs: number;
  /** Refresh this long before expiry (or halfway, for shorter lives). */
  refreshAheadMs?: number;
  /** After a failed refresh of still-valid credentials, wait this long. */
  retryAfterFailureMs?: number;
  /** Stop handing out credentials this long before they expire. */
  expiryMarginMs?: number;
  logger?: LoggerService;
  /** The clock; tests may replace it. */
  now?: () => number;
};

const DEFAULTS = {
  refreshAheadMs: 5 * 60_000,
  retryAfterFailureMs: 5_000,
  expiryMarginMs: 10_000,
};

type Cached = {
  credentials: AwsCredentialIdentity;
  /** Time after which a refresh starts. */
  refreshAt: number;
  /** Time after which these credentials are never handed out. */
  expiresAt: number;
};

/**
 * Wraps a credential provider so that it fetches once and then hands the
 * same credentials to every caller until they near expiry; concurrent
 * callers share one fetch, a failed fetch is not kept, and credentials that
 * fail to refresh keep being served while they are still valid. Every
 * provider the manager hands out passes through here, so no other code
 * caches, retries or times out.
 */
export function cachingProvider(
  fetch: AwsCredentialIdentityProvider,
  source: CredentialSource,
  options: CachingOptions,
): AwsCredentialIdentityProvider {
  const { timeoutMs, logger } = options;
  const refreshAheadMs = options.refreshAheadMs ?? DEFAULTS.refreshAheadMs;
  const retryAfterFailureMs =
    options.retryAfterFailureMs ?? DEFAULTS.retryAfterFailureMs;
  const expiryMarginMs = options.expiryMarginMs ?? DEFAULTS.expiryMarginMs;
  const now = options.now ?? Date.now;

  let cached: Cached | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let lastFailureAt = -Infinity;
  let warnedSinceLastSuccess = false;

  function remember(credentials: AwsCredentialIdentity): Cached {
    const fetchedAt = now();
    const expiration = credentials.expiration?.getTime();
    if (expiration === undefined) {
      return { credentials, refreshAt: Infinity, expiresAt: Infinity };
    }
    const lifetime = Math.max(0, expiration - fetchedAt);
    return {
      credentials,
      refreshAt: expiration - Math.min(refreshAheadMs, lifetime / 2),
      expiresAt: expiration - Math.min(expiryMarginMs, lifetime / 10),
    };
  }

  function fetchOnce(): Promise<AwsCredentialIdentity> {
    if (!pending) {
      pending = withTimeout(fetch(), timeoutMs)
        .then(
          credentials => {
            cached = remember(credentials);
            warnedSinceLastSuccess = false;
            logger?.debug(`Obtained AWS credentials for ${source.subject}`, {
              ...source.logFields,
              expiration: credentials.expiration?.toISOString(),
            });
            return credentials;
          },
          error => {
            lastFailureAt = now();
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
    fetchOnce().catch(error => {
      if (!warnedSinceLastSuccess) {
        warnedSinceLastSuccess = true;
        logger?.warn(
          `Could not refresh AWS credentials for ${
            source.subject
          }; serving the current ones until ${new Date(
            current.expiresAt,
          ).toISOString()}: ${error.message}`,
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
      return current.credentials;
    }
    return fetchOnce();
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `no answer within ${timeoutMs} ms (aws.credentialsTimeout)`,
      );
      error.name = 'TimeoutError';
      reject(error);
    }, timeoutMs);
  });
  // A fetch that loses the race still settles later; nobody awaits it.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Names the account, the role, the STS region and endpoint and STS's error
 * code, and keeps the original error as the cause.
 */
function wrapError(error: unknown, source: CredentialSource): Error {
  // ForwardedError appends "caused by <code>: <message>" and takes the
  // cause's name, so callers can still branch on STS's error code.
  return new ForwardedError(
    `Could not obtain AWS credentials for ${source.subject} ${source.how()}`,
    error,
  );
}
