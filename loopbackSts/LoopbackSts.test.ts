import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LoopbackSts } from './LoopbackSts';
import {
  rawPost,
  USER,
  USER_IDENTITY,
  useLoopbackSts,
} from './__testUtils__/useLoopbackSts';

describe('LoopbackSts', () => {
  const sts = useLoopbackSts();

  it('listens on 127.0.0.1 only', () => {
    expect(sts.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe('#calls', () => {
    it('records each call with its key, region and parameters', async () => {
      await sts.client(USER).send(new GetCallerIdentityCommand({}));
      expect(sts.server.calls).toEqual([
        {
          action: 'GetCallerIdentity',
          accessKeyId: USER.accessKeyId,
          region: 'eu-west-1',
          params: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          tags: {},
          sessionToken: undefined,
        },
      ]);
    });

    it('keeps only the latest maxRecordedCalls calls', async () => {
      const server = await LoopbackSts.start({ maxRecordedCalls: 3 });
      try {
        for (const n of [1, 2, 3, 4, 5]) {
          await rawPost(server.url, `Action=GetCallerIdentity&N=${n}`);
        }
        expect(server.calls.map(call => call.params.N)).toEqual([
          '3',
          '4',
          '5',
        ]);
      } finally {
        await server.stop();
      }
    });

    it('keeps 10,000 calls by default', async () => {
      const server = await LoopbackSts.start();
      try {
        // Faster than 10,001 requests, and the same path each takes.
        for (let n = 0; n < 10_000; n += 1) {
          server.calls.push({ action: 'Filler', params: {}, tags: {} });
        }
        await rawPost(server.url, 'Action=GetCallerIdentity');
        expect(server.calls).toHaveLength(10_000);
        expect(server.calls[9_999].action).toBe('GetCallerIdentity');
      } finally {
        await server.stop();
      }
    });
  });

  describe('#injectFault', () => {
    it('lets the SDK retry an injected throttle', async () => {
      sts.server.injectFault({ status: 400, code: 'Throttling' });
      const result = await sts
        .client(USER)
        .send(new GetCallerIdentityCommand({}));
      expect(result.Account).toBe(USER_IDENTITY.account);
      expect(sts.server.calls).toHaveLength(2);
    });

    it('injects errors, optionally per action and repeatedly', async () => {
      const { server } = sts;
      server.injectFault({ status: 403, code: 'AccessDenied', message: 'no' });
      await expect(sts.assumeRole()).rejects.toMatchObject({
        name: 'AccessDenied',
        message: 'no',
      });
      expect(server.callsOf('AssumeRole')).toHaveLength(1);

      server.reset();
      server.injectFault(
        { status: 403, code: 'AccessDenied' },
        Infinity,
        'AssumeRole',
      );
      await expect(
        sts.client(USER).send(new GetCallerIdentityCommand({})),
      ).resolves.toMatchObject({ Account: USER_IDENTITY.account });
      await expect(sts.assumeRole()).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(sts.assumeRole()).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      server.clearFaults();
      await expect(sts.assumeRole()).resolves.toHaveProperty('accessKeyId');
      expect(server.calls.map(c => c.action)).toEqual([
        'GetCallerIdentity',
        'AssumeRole',
        'AssumeRole',
        'AssumeRole',
      ]);
    });

    it('fails requests on close and hang faults', async () => {
      // This @smithy/node-http-handler only warns on requestTimeout unless
      // throwOnRequestTimeout is set.
      const opts = {
        maxAttempts: 1,
        requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
      };

      sts.server.injectFault('close');
      await expect(
        sts.client(USER, opts).send(new GetCallerIdentityCommand({})),
      ).rejects.toThrow();

      sts.server.injectFault('hang');
      const started = Date.now();
      await expect(
        sts.client(USER, opts).send(new GetCallerIdentityCommand({})),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(sts.server.calls).toHaveLength(2);
    });
  });

  describe('#delayMs', () => {
    it('delays answers by delayMs', async () => {
      sts.server.delayMs = 150;
      const started = Date.now();
      await sts.client(USER).send(new GetCallerIdentityCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('#stop', () => {
    it('stops cleanly with a hung request and a pending delay open', async () => {
      const { server } = sts;
      server.injectFault('hang');
      const hung = rawPost(server.url, 'Action=GetCallerIdentity');
      const other = await LoopbackSts.start({ delayMs: 10_000 });
      const delayed = rawPost(other.url, 'Action=GetCallerIdentity');
      while (server.calls.length < 1 || other.calls.length < 1) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      await server.stop();
      await other.stop();
      await expect(hung).rejects.toThrow();
      await expect(delayed).rejects.toThrow();
    });
  });
});
