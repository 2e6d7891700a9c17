import { ConfigReader } from '@backstage/config';
import { MAIN, MAIN_KEYS, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';
import { METRIC_NAMES } from './AwsCredentialsMetrics';
import { useMetricsReader } from './__testUtils__/useMetricsReader';

describe('AwsCredentialsMetrics with an aws connection', () => {
  useAwsTestEnv();
  const read = useMetricsReader();

  it('names the account of an auth entry, as of an aws.accounts entry, and neither the main account nor accounts of the connection role', async () => {
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        connections: [
          {
            type: 'aws',
            roleName: 'reader',
            auth: [
              {
                method: 'account',
                mainAccount: true,
                accountId: MAIN.accountId,
                ...MAIN_KEYS,
              },
              {
                method: 'account',
                accountId: '222222222222',
                roleName: 'deployer',
              },
            ],
          },
        ],
      }),
    );
    for (const accountId of ['222222222222', '333333333333']) {
      await (
        await manager.getCredentialProvider({ accountId })
      ).sdkCredentialProvider();
    }

    expect(await read.counts(METRIC_NAMES.fetches)).toEqual([
      {
        attributes: { source: 'static', outcome: 'success', refresh: false },
        value: 1,
      },
      {
        attributes: {
          source: 'assume_role',
          account_id: '222222222222',
          outcome: 'success',
          refresh: false,
        },
        value: 1,
      },
      {
        attributes: {
          source: 'assume_role',
          outcome: 'success',
          refresh: false,
        },
        value: 1,
      },
    ]);
  });
});
