import { mockServices } from '@backstage/backend-test-utils';
import { LoopbackOrganization } from '../../../loopbackSts';
import { MAIN, MAIN_KEYS, useAwsTestEnv } from '../../__testUtils__/awsTestEnv';
import type { AwsIntegrationOrganizationConfig } from '../../types';
import {
  OrganizationDirectory,
  OrganizationDirectoryOptions,
} from './OrganizationDirectory';
import type { ListingEvent, Scheduler } from './types';

const HOUR = 3_600_000;
const OU_A = 'ou-ab12-aaaaaaaa';
const OU_B = 'ou-ab12-bbbbbbbb';

/** Timers that fire only when the test says so, on a clock of their own. */
function manualScheduler() {
  let now = 0;
  const timers: Array<{ run: () => void; at: number }> = [];
  const scheduler: Scheduler = {
    now: () => now,
    setTimeout(run, ms) {
      const timer = { run, at: now + ms };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      timers.splice(timers.indexOf(handle as (typeof timers)[0]) >>> 0, 1);
    },
  };
  return {
    scheduler,
    /** Delays of the pending timers, from now. */
    pending: () => timers.map(t => t.at - now),
    /** Fires the next timer, moving the clock to it. */
    fireNext() {
      const timer = timers.shift()!;
      now = timer.at;
      timer.run();
    },
  };
}

describe('OrganizationDirectory', () => {
  const env = useAwsTestEnv();
  let org: LoopbackOrganization;
  let clock: ReturnType<typeof manualScheduler>;
  let sleeps: number[];
  let events: ListingEvent[];
  const directories: OrganizationDirectory[] = [];

  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = env.sts.url;
    org = new LoopbackOrganization()
      .addOrganizationalUnit(OU_A)
      .addOrganizationalUnit(OU_B, OU_A)
      .addAccount({ id: '333333333333', name: 'prod', tags: { team: 'a' } })
      .addAccount({ id: '444444444444', parentId: OU_A, tags: { team: 'b' } })
      .addAccount({ id: '555555555555', parentId: OU_B, tags: { team: 'a' } })
      .addAccount({ id: '666666666666', status: 'SUSPENDED' });
    env.sts.organization = org;
    clock = manualScheduler();
    sleeps = [];
    events = [];
  });

  afterEach(() => {
    for (const d of directories.splice(0)) {
      d.stop();
    }
    env.sts.organization = undefined;
  });

  function directory(
    config: Partial<AwsIntegrationOrganizationConfig> = {},
    extra: Partial<OrganizationDirectoryOptions> = {},
  ) {
    const d = new OrganizationDirectory({
      config: { roleName: 'Reader', refreshMs: HOUR, ...config },
      credentials: async () => MAIN_KEYS,
      timeoutMs: 5_000,
      scheduler: clock.scheduler,
      sleep: async ms => {
        sleeps.push(ms);
      },
      onListing: e => events.push(e),
      ...extra,
    });
    directories.push(d);
    d.start();
    return d;
  }

  /** Resolves once the loopback has received a call of this action. */
  async function waitForCall(action: 'ListAccounts') {
    while (env.sts.callsOf(action).length === 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
  }

  const ids = async (d: OrganizationDirectory) =>
    [...(await d.current()).accounts.keys()].sort();

  it('discovers the ACTIVE accounts with ListAccounts, signed by the credentials given', async () => {
    const d = directory();
    expect(await ids(d)).toEqual([
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    expect((await d.current()).accounts.get('333333333333')).toEqual({
      accountId: '333333333333',
      name: 'prod',
    });
    const calls = env.sts.callsOf('ListAccounts');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      accessKeyId: MAIN.accessKeyId,
      region: 'us-east-1',
    });
    expect(events).toEqual([{ durationMs: 0, calls: 1, accounts: 3 }]);
  });

  it('lists 1,000 accounts in pages of 20 (50 calls, not one per account)', async () => {
    const big = new LoopbackOrganization().addAccounts(1_000);
    env.sts.organization = big;
    const d = directory();
    expect((await d.current()).accounts.size).toBe(1_000);
    expect(env.sts.callsOf('ListAccounts')).toHaveLength(50);
    expect(env.sts.callsOf('ListTagsForResource')).toHaveLength(0);
  });

  it('walks organizationalUnitIds recursively, each account with its direct parent', async () => {
    const d = directory({ organizationalUnitIds: [OU_A] });
    const { accounts } = await d.current();
    expect([...accounts.values()]).toEqual([
      {
        accountId: '444444444444',
        name: 'account-444444444444',
        organizationalUnitId: OU_A,
      },
      {
        accountId: '555555555555',
        name: 'account-555555555555',
        organizationalUnitId: OU_B,
      },
    ]);
    expect(env.sts.callsOf('ListAccounts')).toHaveLength(0);
    expect(env.sts.callsOf('ListChildren')).toHaveLength(2);
  });

  it('keeps only the accounts with every accountTags tag, reading tags per account', async () => {
    const d = directory({ accountTags: { team: 'a' } });
    const { accounts } = await d.current();
    expect([...accounts.values()]).toEqual([
      { accountId: '333333333333', name: 'prod', tags: { team: 'a' } },
      {
        accountId: '555555555555',
        name: 'account-555555555555',
        tags: { team: 'a' },
      },
    ]);
    expect(env.sts.callsOf('ListTagsForResource')).toHaveLength(3);
  });

  it('backs off on TooManyRequestsException and finishes the listing', async () => {
    env.sts.injectFault(
      { status: 400, code: 'TooManyRequestsException' },
      3,
      'ListAccounts',
    );
    const d = directory();
    expect(await ids(d)).toHaveLength(3);
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(env.sts.callsOf('ListAccounts')).toHaveLength(4);
  });

  it('lists again every refresh: an account added and one removed', async () => {
    const departed: string[][] = [];
    const d = directory({}, { onDeparted: gone => departed.push(gone) });
    await d.current();
    expect(clock.pending()).toEqual([HOUR]);
    org.addAccount({ id: '777777777777' }).removeAccount('444444444444');
    clock.fireNext();
    await d.refreshNow();
    expect(await ids(d)).toEqual([
      '333333333333',
      '555555555555',
      '777777777777',
    ]);
    expect(departed).toEqual([['444444444444']]);
    expect(clock.pending()).toEqual([HOUR]);
  });

  it('fails lookups at start-up with the cause, logs once, retries with backoff up to refresh, and recovers', async () => {
    const logger = mockServices.logger.mock();
    env.sts.injectFault(
      { status: 400, code: 'AccessDeniedException', message: 'denied' },
      3,
      'ListAccounts',
    );
    const d = directory({ refreshMs: 90_000 }, { logger });
    await expect(d.current()).rejects.toThrow(
      /have not been listed yet.*organizations:ListAccounts failed.*AccessDeniedException: denied/,
    );
    expect(clock.pending()).toEqual([30_000]);
    clock.fireNext();
    await d.refreshNow();
    expect(clock.pending()).toEqual([60_000]);
    clock.fireNext();
    await d.refreshNow();
    expect(clock.pending()).toEqual([90_000]); // capped at refresh
    expect(logger.warn).toHaveBeenCalledTimes(1);
    clock.fireNext();
    await d.refreshNow();
    expect(await ids(d)).toHaveLength(3);
    expect(clock.pending()).toEqual([90_000]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/again after 3 failed attempt/),
      { accounts: 3 },
    );
  });

  it('keeps the last good list when a refresh fails', async () => {
    const d = directory();
    await d.current();
    env.sts.injectFault({ status: 500, code: 'ServiceException' }, 1);
    clock.fireNext();
    await d.refreshNow();
    expect(await ids(d)).toHaveLength(3);
    expect(clock.pending()).toEqual([30_000]);
    expect(events.map(e => e.error === undefined)).toEqual([true, false]);
  });

  it('reports nothing of a listing in flight when stopped, as one abandoned', async () => {
    env.sts.injectFault('hang', 1, 'ListAccounts');
    const d = directory({}, { timeoutMs: 200 });
    await waitForCall('ListAccounts');
    d.stop();
    await d.refreshNow(); // the abandoned listing, settled by its timeout
    expect(events).toEqual([]);
    expect(clock.pending()).toEqual([]);
  });

  it('names the Organizations call that did not answer when the wait for the first listing times out', async () => {
    env.sts.injectFault('hang', 1, 'ListAccounts');
    const d = directory({}, { timeoutMs: 200 });
    await expect(d.current()).rejects.toThrow(
      /have not been listed yet.*caused by .*organizations:ListAccounts did not answer within 200 ms \(aws\.credentialsTimeout\)/,
    );
  });
});
