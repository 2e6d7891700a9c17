/**
 * What is kept of an error: STS's code and type, the SDK's fault class, a
 * system error's code and where it happened. All plain values, none secret.
 */
const KEPT_FIELDS = [
  'Code',
  'Type',
  '$fault',
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'hostname',
  'path',
] as const;

/** What is kept of the SDK's `$metadata`: the answer's status and IDs. */
const KEPT_METADATA = [
  'httpStatusCode',
  'requestId',
  'extendedRequestId',
  'cfId',
  'attempts',
  'totalRetryDelay',
] as const;

/** How deep a chain of causes is copied; deeper ones are dropped. */
const MAX_DEPTH = 5;

/**
 * An access key ID (long-term `AKIA…` or temporary `ASIA…`, 16 to 128
 * characters); only its first 4 characters are ever shown.
 */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{12,124}\b/g;

function maskKeyIds(text: string): string {
  return text.replace(ACCESS_KEY_ID, '$1****');
}

type ErrorFields = Record<string, unknown> & {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: Record<string, unknown>;
};

/**
 * The mark a role chain's fetch puts on an error to say which hop failed
 * (a position and a role ARN, nothing secret). A copy keeps it, so the
 * hop is still known once the error has passed through a cache.
 */
export const FAILED_HOP = Symbol('failedHop');

function isPlain(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

function copyOf(error: Error, depth: number): Error {
  const from = error as unknown as ErrorFields;
  const copy = new Error(maskKeyIds(String(from.message ?? '')));
  // The same class, so that `instanceof` and the name still tell the kind.
  Object.setPrototypeOf(copy, Object.getPrototypeOf(error));
  const to = copy as unknown as ErrorFields;
  if (typeof from.name === 'string') {
    to.name = from.name;
  }
  if (typeof from.stack === 'string') {
    copy.stack = maskKeyIds(from.stack);
  }
  for (const field of KEPT_FIELDS) {
    const value = from[field];
    if (isPlain(value)) {
      to[field] = typeof value === 'string' ? maskKeyIds(value) : value;
    }
  }
  if (from.$metadata && typeof from.$metadata === 'object') {
    const metadata: Record<string, unknown> = {};
    for (const field of KEPT_METADATA) {
      if (isPlain(from.$metadata[field])) {
        metadata[field] = from.$metadata[field];
      }
    }
    to.$metadata = metadata;
  }
  if (Object.prototype.hasOwnProperty.call(error, FAILED_HOP)) {
    Object.defineProperty(copy, FAILED_HOP, {
      value: (error as unknown as Record<symbol, unknown>)[FAILED_HOP],
    });
  }
  if (from.cause !== undefined && depth < MAX_DEPTH) {
    to.cause = safeCopy(from.cause, depth + 1);
  }
  if (Array.isArray(from.errors) && depth < MAX_DEPTH) {
    to.errors = from.errors.map(e => safeCopy(e, depth + 1));
  }
  return copy;
}

function safeCopy(error: unknown, depth: number): unknown {
  if (error instanceof Error) {
    return copyOf(error, depth);
  }
  if (typeof error === 'string') {
    return maskKeyIds(error);
  }
  return isPlain(error) ? error : String(error);
}

/**
 * A copy of an error, fit to be kept as the `cause` of an error the
 * package throws. An AWS SDK error carries, in hidden properties, the HTTP
 * response and through it the signed request, whose headers hold the
 * session token and the access key ID (`x-amz-security-token`,
 * `Authorization`); `util.inspect` with `showHidden` prints them. The copy
 * keeps the class, name, message and stack, STS's `Code` and `Type`, the
 * SDK's `$fault` and the plain fields of `$metadata` (`httpStatusCode`,
 * `requestId`, ...), a system error's `code` and `syscall`, and the same
 * copy of its own causes; nothing else. Access key IDs in its text are cut
 * to their first 4 characters.
 */
export function safeCause(error: unknown): unknown {
  return safeCopy(error, 0);
}
