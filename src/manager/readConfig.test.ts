import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { describeAwsConfig } from './describeAwsConfig';
import { readConfig } from './readConfig';

const KEYS = {
  accessKeyId: 'AKIASTARTUPLOG000001',
  secretAccessKey: 'start-up-log-secret-000000000000000000',
};

describe('readConfig: the start-up log', () => {
  const aws = {
    mainAccount: KEYS,
    accounts: [
      // As the config loader leaves `roleName: ${MY_ROLE}` with MY_ROLE unset.
      { accountId: '111111111111' },
      { accountId: '222222222222', roleName: 'reader' },
      { accountId: '333333333333', profile: 'team' },
      { accountId: '444444444444', ...KEYS },
      { accountId: '555555555555' },
    ],
    plugins: {
      catalog: {
        accounts: [
          { accountId: '666666666666', roleName: 'reader' },
          { accountId: '777777777777' },
        ],
      },
    },
  };

  it('names each account the default chain serves, with its key path, in one line', () => {
    const logger = mockServices.rootLogger.mock();

    const config = readConfig(new ConfigReader({ aws }), logger);

    const lines = logger.info.mock.calls.map(([message]) => message);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      "AWS credentials: 3 account(s) served by the backend's default credential chain, as their entries name no role, keys or profile: 111111111111 (aws.accounts[0]), 555555555555 (aws.accounts[4]), 777777777777 (aws.plugins.catalog.accounts[1]). If that is not meant, an unset ${VAR} may have left a key out: backstage-aws-credentials check lists them",
    );
    // The same accounts as the description check and the dev demo use.
    const described = [
      ...describeAwsConfig(config, 10_000).accounts,
      ...describeAwsConfig(config, 10_000, 'catalog').accounts,
    ];
    const chain = new Set(
      described
        .filter(d => d.kind === 'default_chain')
        .map(d => `${d.accountId} (${d.configPath})`),
    );
    expect(chain).toEqual(
      new Set([
        '111111111111 (aws.accounts[0])',
        '555555555555 (aws.accounts[4])',
        '777777777777 (aws.plugins.catalog.accounts[1])',
      ]),
    );
  });

  it('names at most 20 accounts and counts the rest', () => {
    const logger = mockServices.rootLogger.mock();
    const accounts = Array.from({ length: 25 }, (_, i) => ({
      accountId: String(100000000000 + i),
    }));

    readConfig(new ConfigReader({ aws: { accounts } }), logger);

    const line = logger.info.mock.calls[1][0];
    expect(line).toContain('25 account(s) served');
    expect(line).toContain('100000000019 (aws.accounts[19]) and 5 more.');
    expect(line).not.toContain('100000000020');
  });

  it('adds no line when every account names its source', () => {
    const logger = mockServices.rootLogger.mock();

    readConfig(
      new ConfigReader({
        aws: { accounts: [{ accountId: '222222222222', roleName: 'r' }] },
      }),
      logger,
    );

    expect(logger.info).toHaveBeenCalledTimes(1);
  });
});
