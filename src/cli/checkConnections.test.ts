import { stringify } from 'yaml';
import {
  MAIN,
  MAIN_KEYS,
  OTHER,
  useAwsTestEnv,
} from '../__testUtils__/awsTestEnv';
import { tableRow } from './__testUtils__/runBin';
import { main } from './main';

// `check` of a config whose accounts are in an aws connection, run in
// this process (check.test.ts runs the bin itself).

const EXTERNAL_ID = 'connection-external-id-secret';
const OTHER_KEYS = {
  accessKeyId: OTHER.accessKeyId,
  secretAccessKey: OTHER.secretAccessKey,
};

const CONFIG = {
  aws: {
    roleSessionName: 'backstage-{pluginId}',
    accounts: [{ accountId: '999999999999', roleName: 'ignored' }],
  },
  connections: [
    {
      type: 'aws',
      roleName: 'ReadOnly',
      externalId: EXTERNAL_ID,
      auth: [
        { method: 'account', mainAccount: true, ...MAIN_KEYS },
        { method: 'account', accountId: OTHER.accountId, ...OTHER_KEYS },
        {
          method: 'account',
          accountId: '333333333333',
          roleName: 'deploy',
          match: { plugins: ['scaffolder'] },
        },
      ],
    },
  ],
};

describe('backstage-aws-credentials check with an aws connection', () => {
  const env = useAwsTestEnv();

  // --wide: these tests read the table's columns and whole lines.
  async function check(config: object, args: string[]) {
    const file = env.writeFile('app-config.yaml', stringify(config));
    const out = { stdout: '', stderr: '' };
    const code = await main(['check', '--wide', '--config', file, ...args], {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: process.env,
    });
    for (const secret of [
      MAIN.secretAccessKey,
      MAIN.accessKeyId,
      OTHER.secretAccessKey,
      OTHER.accessKeyId,
      EXTERNAL_ID,
    ]) {
      expect(out.stdout).not.toContain(secret);
      expect(out.stderr).not.toContain(secret);
    }
    return { code, ...out };
  }

  it('describes and probes the connection: the CONFIG column names its entries, the warning the ignored accounts', async () => {
    const { code, stdout } = await check(CONFIG, [
      '--probe',
      '--account',
      '555555555555',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Accounts: the aws connection connections[0]; settings: the aws block (STS, timeout, allow-lists, session names and tags, plugins)',
    );
    expect(stdout).toContain(
      'Warning: aws.accounts of the aws block are ignored: the aws connection connections[0] holds the AWS accounts.',
    );
    expect(tableRow(stdout, 'main').slice(1, 3)).toEqual([
      'connections[0].auth[0]',
      'static keys AKIA…',
    ]);
    expect(tableRow(stdout, OTHER.accountId).slice(1, 3)).toEqual([
      'connections[0].auth[1]',
      'static keys AKIA…',
    ]);
    expect(tableRow(stdout, '555555555555')).toEqual([
      '555555555555',
      'connections[0]',
      "role, assumed with the main account's credentials",
      'arn:aws:iam::555555555555:role/ReadOnly',
      'us-east-1',
      'backstage-backstage, external ID',
      'ok',
      expect.any(String),
      'arn:aws:sts::555555555555:assumed-role/ReadOnly/backstage-backstage',
    ]);
    expect(tableRow(stdout, 'any other')[1]).toBe('connections[0]');
    expect(stdout).not.toContain('333333333333');
  });

  it('shows a match.plugins entry to the plugin it names (--plugin)', async () => {
    const { code, stdout } = await check(CONFIG, [
      '--json',
      '--probe',
      '--plugin',
      'scaffolder',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.accountsFrom).toBe('connections[0]');
    expect(report.accounts[2]).toMatchObject({
      accountId: '333333333333',
      source: {
        configPath: 'connections[0].auth[2]',
        roleArn: 'arn:aws:iam::333333333333:role/deploy',
        roleSessionName: 'backstage-scaffolder',
      },
      probe: { ok: true },
    });
  });

  it('reports every problem of the connection with its key path, and exits 1', async () => {
    const { code, stdout } = await check(
      {
        connections: [
          {
            type: 'aws',
            roleName: 'ReadOnly',
            auth: [
              { method: 'account', accountId: '123', ...OTHER_KEYS },
              {
                method: 'account',
                accountId: '444444444444',
                externalId: EXTERNAL_ID,
              },
            ],
          },
        ],
      },
      [],
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      'The aws block and the aws connection have 3 problem(s); the backend would refuse to start:',
    );
    expect(stdout).toContain(
      'connections[0].auth[0].accountId: must be a 12-digit AWS account ID (got 3 characters)',
    );
    expect(stdout).toContain(
      'connections[0].auth[1]: has externalId but no role name',
    );
    expect(stdout).toContain(
      "connections[0].roleName: is assumed with the main account's credentials, but no auth entry has mainAccount: true",
    );
  });
});
