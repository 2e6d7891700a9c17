import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockServices } from '@backstage/backend-test-utils';
import { CredentialSource, cachingProvider } from './cachingProvider';

const source: CredentialSource = {
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
    expect(await provider()).toBe(first);
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

  it('wraps errors with the account, how, and the cause and its code', async () => {
    const f = fakeFetch(clock);
    const cause = Object.assign(new Error('not authorized'), {
      name: 'AccessDenied',
    });
    f.fail(cause);
    const provider = cachingProvider(f.fetch, source, options());
    const error = await provider().catch(e => e);
    expect(error.name).toBe('AccessDenied');
    expect(error.cause).toBe(cause);
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

  it('gives up after the timeout when the source never answers', async () => {
    const never = jest.fn(() => new Promise<AwsCredentialIdentity>(() => {}));
    const provider = cachingProvider(never, source, {
      ...options(),
      timeoutMs: 50,
    });
    await expect(provider()).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/no answer within 50 ms/),
    });
  });

  it('returns credentials without expiry forever, fetching once', async () => {
    const fetch = jest.fn(async () => ({
      accessKeyId: 'AKIA',
      secretAccessKey: 's',
    }));
    const provider = cachingProvider(fetch, source, options());
    await provider();
    clock.now += 365 * 24 * 60 * MINUTE;
    await provider();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
