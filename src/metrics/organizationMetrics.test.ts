import { ConfigReader } from '@backstage/config';
import { LoopbackOrganization } from '../../loopbackSts';
import { MAIN, MAIN_KEYS, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { CredentialsRoot } from '../manager/CredentialsRoot';
import { useMetricsReader } from './__testUtils__/useMetricsReader';
import { ORGANIZATION_METRIC_NAMES } from './organizationMetrics';

describe('organization discovery metrics', () => {
  const env = useAwsTestEnv();
  const read = useMetricsReader();
  const roots: CredentialsRoot[] = [];
  let org: LoopbackOrganization;

  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = env.sts.url;
    org = new LoopbackOrganization().addAccounts(3);
    env.sts.organization = org;
  });

  afterEach(() => {
    for (const root of roots.splice(0)) {
      root.stop();
    }
    env.sts.organization = undefined;
  });

  function start() {
    const root = CredentialsRoot.fromConfig(
      new ConfigReader({
        aws: {
          mainAccount: { ...MAIN_KEYS, accountId: MAIN.accountId },
          organization: { roleName: 'OrgReader' },
        },
      }),
    );
    roots.push(root);
    return root.organization!;
  }

  it('counts listings by outcome, times each in seconds, and gauges the accounts of the last good one', async () => {
    const directory = start();
    await directory.current();
    org.addAccounts(2, 200_000_000_000);
    await directory.refreshNow();
    env.sts.injectFault(
      { status: 400, code: 'AccessDeniedException', message: 'denied' },
      1,
      'ListAccounts',
    );
    await directory.refreshNow();

    expect(await read.counts(ORGANIZATION_METRIC_NAMES.listings)).toEqual([
      { attributes: { outcome: 'success' }, value: 2 },
      { attributes: { outcome: 'failure' }, value: 1 },
    ]);
    const durations = await read.histograms(
      ORGANIZATION_METRIC_NAMES.listingDuration,
    );
    expect(durations.map(p => [p.attributes, p.value.count])).toEqual([
      [{ outcome: 'success' }, 2],
      [{ outcome: 'failure' }, 1],
    ]);
    for (const { value } of durations) {
      // Seconds, not milliseconds: a loopback listing takes well under 30 s.
      expect(value.sum).toBeGreaterThanOrEqual(0);
      expect(value.sum).toBeLessThan(30);
    }
    // The failed refresh leaves the gauge at the last good listing's count.
    expect(await read.counts(ORGANIZATION_METRIC_NAMES.accounts)).toEqual([
      { attributes: {}, value: 5 },
    ]);
  });

  it('records nothing for a config without aws.organization', async () => {
    const root = CredentialsRoot.fromConfig(
      new ConfigReader({ aws: { mainAccount: MAIN_KEYS } }),
    );
    roots.push(root);
    expect(root.organization).toBeUndefined();
    expect(await read.counts(ORGANIZATION_METRIC_NAMES.listings)).toEqual([]);
    expect(env.sts.callsOf('ListAccounts')).toEqual([]);
  });
});
