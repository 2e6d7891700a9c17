import { ConfigReader } from '@backstage/config';
import { version } from '../../package.json';
import { METRIC_NAMES } from '../metrics/AwsCredentialsMetrics';
import { useMetricsReader } from '../metrics/__testUtils__/useMetricsReader';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';

// The metrics as a platform team reads them, recorded by the real manager
// against the loopback STS.

const DECLARED = '222222222222';
const UNDECLARED = ['333333333333', '444444444444', '555555555555'];

const mainKeys = MAIN_KEYS;

function managerFor(aws: object = {}) {
  return DefaultAwsCredentialsManager.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: { ...mainKeys, accountId: MAIN.accountId },
        accounts: [{ accountId: DECLARED, roleName: 'deployer' }],
        ...aws,
      },
    }),
  );
}

/** Lets promise callbacks and the I/O they started run. */
const settle = () => new Promise(r => setImmediate(r));

/** Settles until `done()` holds, for at most 2000 turns of the event loop. */
async function settleUntil(done: () => Promise<boolean> | boolean) {
  for (let turn = 0; turn < 2000 && !(await done()); turn++) {
    await settle();
  }
}

/** Only the clock and timers are faked: the SDK's I/O and promises run as usual. */
function useFakeClock() {
  jest.useFakeTimers({
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
  });
}

const assumed = {
  source: 'assume_role',
  account_id: DECLARED,
};

describe('DefaultAwsCredentialsManager metrics', () => {
  // The loopback STS reads the clock at each call, so a faked clock moves
  // its expirations too.
  const env = useAwsTestEnv({ now: () => Date.now() });
  const read = useMetricsReader();

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('fetches', () => {
    it('counts a successful AssumeRole, with the main account keys that signed it, and its duration in seconds', async () => {
      useFakeClock();
      env.sts.delayMs = 1500;
      const provider = await managerFor().getCredentialProvider({
        accountId: DECLARED,
      });
      const credentials = provider.sdkCredentialProvider();
      await settleUntil(() => env.sts.callsOf('AssumeRole').length === 1);
      jest.advanceTimersByTime(1500);
      await credentials;

      expect(await read.counts(METRIC_NAMES.fetches)).toEqual([
        {
          attributes: { source: 'static', outcome: 'success', refresh: false },
          value: 1,
        },
        {
          attributes: { ...assumed, outcome: 'success', refresh: false },
          value: 1,
        },
      ]);
      const durations = await read.histograms(METRIC_NAMES.fetchDuration);
      expect(durations.map(d => [d.attributes.source, d.value.sum])).toEqual([
        ['static', 0],
        ['assume_role', 1.5],
      ]);
    });

    it('counts AccessDenied from STS as a failure with error.type', async () => {
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied' },
        1,
        'AssumeRole',
      );
      const provider = await managerFor().getCredentialProvider({
        accountId: DECLARED,
      });
      await expect(provider.sdkCredentialProvider()).rejects.toMatchObject({
        name: 'AccessDenied',
      });

      expect(
        await read.total(METRIC_NAMES.fetches, {
          ...assumed,
          outcome: 'failure',
          refresh: false,
          'error.type': 'AccessDenied',
        }),
      ).toBe(1);
      const durations = await read.histograms(METRIC_NAMES.fetchDuration);
      expect(
        durations.find(d => d.attributes.outcome === 'failure')?.value.count,
      ).toBe(1);
    });

    it('counts a fetch that runs out of time as error.type TimeoutError', async () => {
      useFakeClock();
      env.sts.injectFault('hang', 1, 'AssumeRole');
      const provider = await managerFor({
        credentialsTimeout: '300ms',
      }).getCredentialProvider({ accountId: DECLARED });
      const credentials = provider.sdkCredentialProvider().catch(e => e);
      await settleUntil(() => env.sts.callsOf('AssumeRole').length === 1);
      jest.advanceTimersByTime(300);

      expect(await credentials).toMatchObject({ name: 'TimeoutError' });
      const [failure] = (await read.histograms(METRIC_NAMES.fetchDuration))
        .filter(d => d.attributes.outcome === 'failure')
        .map(d => ({ attributes: d.attributes, seconds: d.value.sum }));
      expect(failure).toEqual({
        attributes: {
          ...assumed,
          outcome: 'failure',
          refresh: false,
          'error.type': 'TimeoutError',
        },
        seconds: 0.3,
      });
    });

    it('counts a background refresh with refresh=true, and a failed one while the current credentials are still served', async () => {
      useFakeClock();
      // A short life keeps the faked clock within the SDK's clock-skew
      // allowance of the loopback STS's real Date header: beyond it the
      // SDK retries the refused call after a (faked) backoff.
      env.sts.credentialLifetimeSeconds = 60;
      const provider = await managerFor().getCredentialProvider({
        accountId: DECLARED,
      });
      const first = await provider.sdkCredentialProvider();
      const refreshes = (outcome: string) =>
        read.total(METRIC_NAMES.fetches, {
          ...assumed,
          outcome,
          refresh: true,
        });

      // Credentials living 60 s are refreshed from their half-life on.
      jest.setSystemTime(Date.now() + 31_000);
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied' },
        1,
        'AssumeRole',
      );
      expect((await provider.sdkCredentialProvider()).accessKeyId).toBe(
        first.accessKeyId,
      );
      await settleUntil(async () => (await refreshes('failure')) === 1);
      expect(
        await read.total(METRIC_NAMES.fetches, {
          'error.type': 'AccessDenied',
          refresh: true,
        }),
      ).toBe(1);

      // After the pause that follows a failure, the next call refreshes again.
      jest.setSystemTime(Date.now() + 10_000);
      expect((await provider.sdkCredentialProvider()).accessKeyId).toBe(
        first.accessKeyId,
      );
      await settleUntil(async () => (await refreshes('success')) === 1);
      expect((await provider.sdkCredentialProvider()).accessKeyId).not.toBe(
        first.accessKeyId,
      );

      expect(await read.counts(METRIC_NAMES.fetches)).toEqual(
        expect.arrayContaining([
          {
            attributes: { ...assumed, outcome: 'success', refresh: false },
            value: 1,
          },
          {
            attributes: {
              ...assumed,
              outcome: 'failure',
              refresh: true,
              'error.type': 'AccessDenied',
            },
            value: 1,
          },
          {
            attributes: { ...assumed, outcome: 'success', refresh: true },
            value: 1,
          },
        ]),
      );
    });

    it('leaves the account ID out for accounts reached through accountDefaults', async () => {
      const manager = managerFor({ accountDefaults: { roleName: 'reader' } });
      for (const accountId of UNDECLARED) {
        const provider = await manager.getCredentialProvider({ accountId });
        await provider.sdkCredentialProvider();
      }

      expect(
        (await read.counts(METRIC_NAMES.fetches)).filter(
          p => p.attributes.source === 'assume_role',
        ),
      ).toEqual([
        {
          attributes: {
            source: 'assume_role',
            outcome: 'success',
            refresh: false,
          },
          value: 3,
        },
      ]);
    });
  });

  describe('lookups', () => {
    it('counts found lookups, cold and warm, by account ID and by ARN', async () => {
      const manager = managerFor();
      await manager.getCredentialProvider({ accountId: DECLARED });
      await manager.getCredentialProvider({ accountId: DECLARED });
      await manager.getCredentialProvider({
        arn: `arn:aws:sqs:us-east-1:${DECLARED}:queue`,
      });
      await manager.getCredentialProvider({
        arn: `arn:aws:sqs:us-east-1:${DECLARED}:queue`,
      });
      await manager.getCredentialProvider();
      await manager.getCredentialProvider({ accountId: MAIN.accountId });

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'found' }, value: 6 },
      ]);
    });

    it('counts an account that is not configured as not_found, and a malformed one as invalid', async () => {
      const manager = managerFor();
      await expect(
        manager.getCredentialProvider({ accountId: UNDECLARED[0] }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        manager.getCredentialProvider({ accountId: 'not-an-account' }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        manager.getCredentialProvider({ arn: 'arn:aws:sqs' }),
      ).rejects.toMatchObject({ name: 'InputError' });

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'not_found' }, value: 1 },
        { attributes: { outcome: 'invalid' }, value: 2 },
      ]);
    });

    it('counts a lookup that fails because STS cannot tell the main account ID as error', async () => {
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied' },
        1,
        'GetCallerIdentity',
      );
      const manager = managerFor({ mainAccount: mainKeys });
      await expect(
        manager.getCredentialProvider({ accountId: UNDECLARED[0] }),
      ).rejects.toThrow(/Could not learn the main AWS account ID/);

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'error' }, value: 1 },
      ]);
    });
  });

  it('records for a manager built with DefaultAwsCredentialsManager.fromConfig and no options', async () => {
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({ aws: { mainAccount: mainKeys } }),
    );
    const main = await manager.getCredentialProvider();
    await main.sdkCredentialProvider();

    expect(await read.scopes()).toEqual([
      { name: 'backstage-aws-credentials', version },
    ]);
    expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
      { attributes: { outcome: 'found' }, value: 1 },
    ]);
    expect(await read.counts(METRIC_NAMES.fetches)).toEqual([
      {
        attributes: { source: 'static', outcome: 'success', refresh: false },
        value: 1,
      },
    ]);
  });
});
