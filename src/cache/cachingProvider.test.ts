import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockServices } from '@backstage/backend-test-utils';
import { CacheSubject, cachingProvider } from './cachingProvider';

const source: CacheSubject = {
  subject: 'account 333333333333',
  how: () =>
    'by assuming role arn:aws:iam::333333333333:role/r through STS in us-east-1',
  logFields: { accountId: '333333333333' },
};

const MINUTE = 60_000;

/** A fetch that hands out numbered credentials living `lifetimeMs`. */
function fakeFetch(clock: { now: number }, lifetimeMs = 60 * MINUTE) {
  let count = 0;
  let failWith: Error | undefined;
  let release: (() => void) | undefined;
  const fetch = jest.fn(async (): Promise<AwsCredentialIdentity> => {
    count += 1;
    const n = count;
    if (release === undefined && fetch.gate) {
      await new Promise<void>(r => (release = r));
      release = undefined;
    }
    if (failWith) {
      throw failWith;
    }
    return {
      accessKeyId: `ASIA${n}`,
      secretAccessKey: `secret${n}`,
      sessionToken: `token${n}`,
      expiration: new Date(clock.now + lifetimeMs),
    };
  }) as jest.Mock & { gate?: boolean };
  return {
    fetch,
    fail(error: Error | undefined) {
      failWith = error;
    },
    open() {
      release?.();
    },
  };
}

describe('cachingProvider', () => {
  let clock: { now: number };
  const options = () => ({
    timeoutMs: 1000,
    now: () => clock.now,
    logger: mockServices.logger.mock(),
  });

  beforeEach(() => {
    clock = { now: Date.UTC(2026, 10, 26, 12) };
  });

  it('fetches once and hands the same credentials to every caller', async () => {
    const f = fakeFetch(clock);
    const provider = cachingProvider(f.fetch, source, options());
    const first = await provider();
    clock.now += 30 * MINUTE;
    expect(await provider()).toEqual(first);
    expect(f.fetch).toHaveBeenCalledTimes(1);
  });

  it('collapses concurrent first callers onto one fetch', async () => {
    const f = fakeFetch(clock);
    f.fetch.gate = true;
    const provider = cachingProvider(f.fetch, source, options());
    const all = Promise.all(Array.from({ length: 200 }, () => provider()));
    await new Promise(r => setImmediate(r));
    f.open();
    const results = await all;
    expect(new Set(results.map(r => r.accessKeyId))).toEqual(
      new Set(['ASIA1']),
    );
    expect(f.fetch).toHaveBeenCalledTimes(1);
  });

  it('refreshes in the background 5 minutes before expiry, serving the current credentials meanwhile', async () => {
    const f = fakeFetch(clock);
    const provider = cachingProvider(f.fetch, source, options());
    await provider();
    clock.now += 54 * MINUTE;
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect(f.fetch).toHaveBeenCalledTimes(1);

    clock.now += 2 * MINUTE; // 4 minutes left
    expect((await provider()).accessKeyId).toBe('ASIA1');
    await new Promise(r => setImmediate(r));
    expect(f.fetch).toHaveBeenCalledTimes(2);
    expect((await provider()).accessKeyId).toBe('ASIA2');
  });

  it('refreshes short-lived credentials halfway through their life', async () => {
    const f = fakeFetch(clock, 4000);
    const provider = cachingProvider(f.fetch, source, options());
    await provider();
    clock.now += 1900;
    await provider();
    expect(f.fetch).toHaveBeenCalledTimes(1);
    clock.now += 200;
    await provider();
    await new Promise(r => setImmediate(r));
    expect(f.fetch).toHaveBeenCalledTimes(2);
  });

  it('never hands out expired credentials', async () => {
    const f = fakeFetch(clock);
    f.fetch.gate = true;
    const provider = cachingProvider(f.fetch, source, options());
    const first = provider();
    await new Promise(r => setImmediate(r));
    f.open();
    await first;

    clock.now += 60 * MINUTE; // expired now
    const pending = provider();
    await new Promise(r => setImmediate(r));
    f.open();
    const next = await pending;
    expect(next.accessKeyId).toBe('ASIA2');
    expect(next.expiration!.getTime()).toBeGreaterThan(clock.now);
  });

  it('does not keep a failure: the next call tries again', async () => {
    const f = fakeFetch(clock);
    f.fail(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const provider = cachingProvider(f.fetch, source, options());
    await expect(provider()).rejects.toThrow(/Rate exceeded/);
    f.fail(undefined);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIA2' });
  });

  it('wraps errors with the account, how, and a safe copy of the cause with its code', async () => {
    const f = fakeFetch(clock);
    const cause = Object.assign(new Error('not authorized'), {
      name: 'AccessDenied',
      Code: 'AccessDenied',
    });
    Object.defineProperty(cause, '$response', {
      value: { headers: { 'x-amz-security-token': 'token1' } },
    });
    f.fail(cause);
    const provider = cachingProvider(f.fetch, source, options());
    const error = await provider().catch(e => e);
    expect(error.name).toBe('AccessDenied');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({
      name: 'AccessDenied',
      Code: 'AccessDenied',
      message: 'not authorized',
    });
    expect(error.cause).not.toHaveProperty('$response');
    expect(error.message).toBe(
      'Could not obtain AWS credentials for account 333333333333 by assuming role arn:aws:iam::333333333333:role/r through STS in us-east-1; caused by AccessDenied: not authorized',
    );
  });

  it('keeps serving valid credentials when a refresh fails, with one warning, and refreshes once the source recovers', async () => {
    const f = fakeFetch(clock);
    const opts = options();
    const provider = cachingProvider(f.fetch, source, opts);
    await provider();
    f.fail(new Error('STS is down'));

    clock.now += 56 * MINUTE;
    for (let i = 0; i < 5; i++) {
      expect((await provider()).accessKeyId).toBe('ASIA1');
      await new Promise(r => setImmediate(r));
      clock.now += 10_000;
    }
    expect(opts.logger.warn).toHaveBeenCalledTimes(1);
    expect(opts.logger.warn.mock.calls[0][0]).toMatch(
      /Could not refresh AWS credentials for account 333333333333.*STS is down/,
    );
    // The failed refresh is retried, but no more than once per 5 seconds.
    expect(f.fetch.mock.calls.length).toBeGreaterThan(2);
    expect(f.fetch.mock.calls.length).toBeLessThanOrEqual(6);

    f.fail(undefined);
    clock.now += 10_000;
    await provider();
    await new Promise(r => setImmediate(r));
    expect((await provider()).accessKeyId).not.toBe('ASIA1');
  });

  it('fails callers with the wrapped error once the credentials expired', async () => {
    const f = fakeFetch(clock);
    const provider = cachingProvider(f.fetch, source, options());
    await provider();
    f.fail(
      Object.assign(new Error('token expired'), {
        name: 'ExpiredTokenException',
      }),
    );
    clock.now += 61 * MINUTE;
    await expect(provider()).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: expect.stringMatching(
        /^Could not obtain AWS credentials for account 333333333333/,
      ),
    });
  });

  it('gives up after the timeout when the source never answers, aborting its work', async () => {
    let signal: AbortSignal | undefined;
    const never = jest.fn(
      ({ abortSignal }: { abortSignal: AbortSignal }) =>
        new Promise<AwsCredentialIdentity>(() => {
          signal = abortSignal;
        }),
    );
    const provider = cachingProvider(never, source, {
      ...options(),
      timeoutMs: 50,
    });
    await expect(provider()).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/no answer within 50 ms/),
    });
    expect(signal?.aborted).toBe(true);
  });

  it('keeps credentials without expiry for good when told they only change on reload', async () => {
    const fetch = jest.fn(async () => ({
      accessKeyId: 'AKIA',
      secretAccessKey: 's',
    }));
    const provider = cachingProvider(fetch, source, {
      ...options(),
      rereadAfterMs: Infinity,
    });
    await provider();
    clock.now += 365 * 24 * 60 * MINUTE;
    await provider();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reads credentials without expiry again every 10 minutes, serving the old ones meanwhile', async () => {
    let key = 'AKIAOLD';
    const fetch = jest.fn(async () => ({
      accessKeyId: key,
      secretAccessKey: 's',
    }));
    const provider = cachingProvider(fetch, source, options());
    await provider();
    key = 'AKIAROTATED';
    clock.now += 9 * MINUTE;
    expect((await provider()).accessKeyId).toBe('AKIAOLD');
    expect(fetch).toHaveBeenCalledTimes(1);
    clock.now += 2 * MINUTE;
    expect((await provider()).accessKeyId).toBe('AKIAOLD');
    await new Promise(r => setImmediate(r));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((await provider()).accessKeyId).toBe('AKIAROTATED');
  });

  it('counts a refresh that brings back the same credentials as failed: one warning, bounded retries, then a clear error', async () => {
    const expiration = new Date(clock.now + 60_000);
    const fetch = jest.fn(async () => ({
      accessKeyId: 'ASIASAME',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration,
    }));
    const opts = options();
    const provider = cachingProvider(fetch, source, opts);
    const handedOut: number[] = [];
    const take = async () => {
      const c = await provider();
      handedOut.push(c.expiration!.getTime() - clock.now);
    };
    await take();
    // Past the refresh point (halfway), up to the margin (a tenth of 60 s).
    for (clock.now += 31_000; clock.now < expiration.getTime() - 6_000; ) {
      await take();
      await new Promise(r => setImmediate(r));
      clock.now += 1_000;
    }
    expect(opts.logger.warn).toHaveBeenCalledTimes(1);
    expect(opts.logger.warn.mock.calls[0][0]).toMatch(
      /not newer than the current ones/,
    );
    // 23 s of failing refreshes, retried at most every 5 s: 1 + 5 attempts.
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(7);
    expect(Math.min(...handedOut)).toBeGreaterThan(6_000);

    clock.now = expiration.getTime() - 5_000;
    await expect(provider()).rejects.toThrow(
      /^Could not obtain AWS credentials for account 333333333333.*not newer/,
    );
  });

  describe('when the source switches to credentials that do not expire', () => {
    /** Temporary credentials first, long-term keys (no expiration) after `switchKeys()`. */
    function switchingFetch() {
      let longTerm = false;
      const fetch = jest.fn(
        async (): Promise<AwsCredentialIdentity> =>
          longTerm
            ? { accessKeyId: 'AKIALONGTERM', secretAccessKey: 'long-term' }
            : {
                accessKeyId: 'ASIATEMPORARY',
                secretAccessKey: 'temporary',
                sessionToken: 'token',
                expiration: new Date(clock.now + 60 * MINUTE),
              },
      );
      return {
        fetch,
        switchKeys: () => {
          longTerm = true;
        },
      };
    }

    it('serves the keys a background refresh brings, without a warning', async () => {
      const source2 = switchingFetch();
      const opts = options();
      const provider = cachingProvider(source2.fetch, source, opts);
      expect((await provider()).accessKeyId).toBe('ASIATEMPORARY');
      source2.switchKeys();
      clock.now += 56 * MINUTE; // inside the refresh window
      expect((await provider()).accessKeyId).toBe('ASIATEMPORARY');
      await new Promise(r => setImmediate(r));
      const after = await provider();
      expect(after.accessKeyId).toBe('AKIALONGTERM');
      expect(after.expiration).toBeUndefined();
      expect(opts.logger.warn).not.toHaveBeenCalled();
    });

    it('serves the keys to a caller who waits once the temporary credentials expired, and keeps serving them', async () => {
      const source2 = switchingFetch();
      const provider = cachingProvider(source2.fetch, source, options());
      await provider();
      source2.switchKeys();
      clock.now += 61 * MINUTE; // expired, never refreshed
      expect((await provider()).accessKeyId).toBe('AKIALONGTERM');
      clock.now += 5 * MINUTE; // cached: read again only after 10 minutes
      expect((await provider()).accessKeyId).toBe('AKIALONGTERM');
      expect(source2.fetch).toHaveBeenCalledTimes(2);
    });
  });

  it('refuses credentials that have already expired, whether or not others were cached before', async () => {
    const expired = {
      accessKeyId: 'ASIAEXPIRED',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(clock.now - 1_000),
    };
    const fresh = jest.fn(async () => expired);
    await expect(
      cachingProvider(fresh, source, options())(),
    ).rejects.toMatchObject({
      name: 'StaleCredentials',
      message: expect.stringMatching(
        /^Could not obtain AWS credentials for account 333333333333 .*caused by StaleCredentials: the source returned credentials that expired at /,
      ),
    });

    // A provider that served others before answers the same, whatever they were.
    const f = fakeFetch(clock, 10 * MINUTE);
    const provider = cachingProvider(
      async o => (clock.now > Date.UTC(2026, 10, 27) ? expired : f.fetch(o)),
      source,
      options(),
    );
    await provider();
    clock.now = Date.UTC(2026, 10, 28);
    expired.expiration = new Date(clock.now - 1_000);
    await expect(provider()).rejects.toMatchObject({
      name: 'StaleCredentials',
      message: expect.stringMatching(/expired at /),
    });
  });

  it('hands each caller its own unfrozen copy, so an SDK client may write on it', async () => {
    const f = fakeFetch(clock);
    const provider = cachingProvider(f.fetch, source, options());
    const first = await provider();
    expect(Object.isFrozen(first)).toBe(false);
    (first as any).$source = { CREDENTIALS_CODE: 'e' };
    first.expiration!.setTime(0);
    const second = await provider();
    expect(second).not.toHaveProperty('$source');
    expect(second.expiration!.getTime()).toBeGreaterThan(clock.now);
    expect(f.fetch).toHaveBeenCalledTimes(1);
  });

  it('reports every fetch with its outcome, duration and error type', async () => {
    const f = fakeFetch(clock);
    const onFetch = jest.fn();
    const provider = cachingProvider(f.fetch, source, {
      ...options(),
      onFetch,
    });
    f.fail(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    await expect(provider()).rejects.toThrow();
    f.fail(undefined);
    await provider();
    expect(onFetch.mock.calls.map(c => c[0])).toEqual([
      {
        outcome: 'failure',
        refresh: false,
        durationMs: 0,
        errorType: 'AccessDenied',
      },
      { outcome: 'success', refresh: false, durationMs: 0 },
    ]);
  });
});
