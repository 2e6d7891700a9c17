import type { Config, JsonObject } from '@backstage/config';
import { parse, stringify } from 'yaml';
import {
  MAIN,
  MAIN_KEYS,
  OTHER,
  useAwsTestEnv,
} from '../__testUtils__/awsTestEnv';
import { toConnections } from '../accounts/toConnections';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';
import type { AwsCredentialProviderOptions } from '../types';
import { loadConfig } from './loadConfig';
import { main } from './main';

const OTHER_KEYS = {
  accessKeyId: OTHER.accessKeyId,
  secretAccessKey: OTHER.secretAccessKey,
};
const EXTERNAL_ID = 'external-id-secret-of-333';
const DEFAULTS_EXTERNAL_ID = 'external-id-secret-of-defaults';

/**
 * An aws block with one of everything the migration must carry: static
 * keys, roles signed by the main account and by own keys, session
 * settings at every level, allow-lists, the main account's ID, and plugin
 * entries that can become match.plugins entries and ones that cannot.
 */
const AWS_BLOCK = {
  roleSessionName: 'backstage-{pluginId}',
  sessionTags: { env: 'test' },
  allowedAccountIds: [
    OTHER.accountId,
    '333333333333',
    '444444444444',
    '555555555555',
    '666666666666',
    '777777777777',
  ],
  mainAccount: { accountId: MAIN.accountId, ...MAIN_KEYS },
  accounts: [
    { accountId: OTHER.accountId, ...OTHER_KEYS },
    {
      accountId: '333333333333',
      roleName: 'reader',
      externalId: EXTERNAL_ID,
      durationSeconds: 1800,
      sessionTags: { team: 'a' },
    },
    { accountId: '444444444444', roleName: 'hub', ...OTHER_KEYS },
  ],
  accountDefaults: { roleName: 'ReadOnly', externalId: DEFAULTS_EXTERNAL_ID },
  plugins: {
    scaffolder: {
      // Replaces a global entry: stays in aws.plugins.
      accounts: [{ accountId: '333333333333', roleName: 'provisioner' }],
      accountDefaults: {},
      sessionTags: { access: 'write' },
    },
    catalog: {
      allowedAccountIds: ['333333333333', '555555555555', '666666666666'],
      // The same entry as search's: one entry with match.plugins.
      accounts: [{ accountId: '666666666666', roleName: 'indexer' }],
    },
    search: {
      roleSessionName: 'search-{pluginId}',
      accounts: [{ accountId: '666666666666', roleName: 'indexer' }],
    },
    // Different entries of one account: they stay in aws.plugins.
    techdocs: { accounts: [{ accountId: '777777777777', roleName: 'docs' }] },
    kubernetes: {
      accounts: [{ accountId: '777777777777', roleName: 'k8s' }],
    },
  },
};

const PLUGINS = [
  undefined,
  'scaffolder',
  'catalog',
  'search',
  'techdocs',
  'kubernetes',
  'other',
];
const LOOKUPS: Array<AwsCredentialProviderOptions | undefined> = [
  undefined,
  { arn: 'arn:aws:s3:::a-bucket' },
  ...[
    MAIN.accountId,
    OTHER.accountId,
    '333333333333',
    '444444444444',
    '555555555555',
    '666666666666',
    '777777777777',
    '888888888888',
  ].map(accountId => ({ accountId })),
];

function namesAccount(lookup: AwsCredentialProviderOptions | undefined) {
  return Boolean(lookup?.accountId);
}

function captured() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
    },
  };
}

describe('check --print-connections', () => {
  const env = useAwsTestEnv();

  async function print(aws: object) {
    const file = env.writeFile('app-config.yaml', stringify({ aws }));
    const { out, io } = captured();
    const code = await main(
      ['check', '--print-connections', '--config', file],
      {
        ...io,
        env: process.env,
      },
    );
    return { code, ...out, file };
  }

  /** What every plugin gets for every lookup, and the AssumeRole calls made. */
  async function answers(config: Config) {
    const start = env.sts.calls.length;
    const results: unknown[] = [];
    for (const pluginId of PLUGINS) {
      const manager = DefaultAwsCredentialsManager.fromConfig(config, {
        pluginId,
      });
      for (const lookup of LOOKUPS) {
        try {
          const provider = await manager.getCredentialProvider(lookup);
          const credentials = await provider.sdkCredentialProvider();
          results.push({
            pluginId,
            lookup,
            // Of the main account, known without STS only where the config
            // gives its ID, which the migration may leave off (see below).
            accountId: namesAccount(lookup) ? provider.accountId : 'main',
            roleArn: provider.roleArn,
            stsRegion: provider.stsRegion,
            // Keys as configured, or a role session (its AssumeRole is below).
            keys: credentials.sessionToken
              ? 'session'
              : credentials.accessKeyId,
          });
        } catch (error) {
          const { name, message } = error as Error;
          // The fix differs (it names the config's own keys); the finding not.
          results.push({
            pluginId,
            lookup,
            name,
            finding: message.split('. ')[0],
          });
        }
      }
    }
    const assumed = env.sts.calls
      .slice(start)
      .filter(c => c.action === 'AssumeRole')
      .map(c => ({
        signer: c.accessKeyId,
        tags: c.tags,
        ...c.params,
        // Excluded: what differs per request by nature.
        Action: undefined,
        Version: undefined,
      }));
    return { results, assumed };
  }

  it('prints an aws connection that gives every plugin the same answer for every account, with no secret', async () => {
    const printed = await print(AWS_BLOCK);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    for (const secret of [
      MAIN.accessKeyId,
      MAIN.secretAccessKey,
      OTHER.accessKeyId,
      OTHER.secretAccessKey,
      EXTERNAL_ID,
      DEFAULTS_EXTERNAL_ID,
    ]) {
      expect(printed.stdout).not.toContain(secret);
    }
    const document = parse(printed.stdout);
    expect(document.connections).toHaveLength(1);
    expect(document.aws.mainAccount).toBeUndefined();
    expect(document.aws.plugins.catalog.accounts).toBeUndefined();
    expect(document.aws.plugins.techdocs.accounts).toHaveLength(1);
    expect(
      document.connections[0].auth.find(
        (a: JsonObject) => a.accountId === '666666666666',
      ),
    ).toEqual({
      method: 'account',
      accountId: '666666666666',
      roleName: 'indexer',
      match: { plugins: ['catalog', 'search'] },
    });

    // Read both as a backend would: the config loader, with ${VARIABLE}s.
    const { secrets } = toConnections(AWS_BLOCK);
    for (const { variable, value } of secrets) {
      expect(printed.stdout).toContain(variable);
      process.env[variable] = value;
    }
    const migrated = env.writeFile('connections.yaml', printed.stdout);
    const before = await loadConfig({ configPaths: [printed.file] });
    const after = await loadConfig({ configPaths: [migrated] });
    expect(after.config.getOptional('aws.accounts')).toBeUndefined();

    const fromBlock = await answers(before.config);
    const fromConnection = await answers(after.config);
    expect(fromConnection.results).toEqual(fromBlock.results);
    expect(fromConnection.assumed).toEqual(fromBlock.assumed);
    // The comparison covers roles, refusals and the main account alike.
    expect(fromBlock.assumed.length).toBeGreaterThan(20);
    expect(fromBlock.results).toContainEqual(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
    expect(fromBlock.results).toContainEqual(
      expect.objectContaining({ name: 'NotFoundError' }),
    );
    // The main account's ID is left off the mainAccount entry, where the
    // framework would serve that account with the main account's keys
    // instead of the connection's role; the allow-lists name it instead.
    const mainEntry = document.connections[0].auth[0];
    expect(mainEntry).toEqual({
      method: 'account',
      mainAccount: true,
      accessKeyId: '${BACKSTAGE_AWS_MAIN_ACCOUNT_ACCESS_KEY_ID}',
      secretAccessKey: '${BACKSTAGE_AWS_MAIN_ACCOUNT_SECRET_ACCESS_KEY}',
    });
    expect(document.aws.allowedAccountIds).toContain(MAIN.accountId);
    // Many lookups, each over HTTP: more than jest's default 5 s on a busy machine.
  }, 60_000);

  it('checks the printed config as valid, its accounts from the connection', async () => {
    const printed = await print(AWS_BLOCK);
    for (const { variable, value } of toConnections(AWS_BLOCK).secrets) {
      process.env[variable] = value;
    }
    const migrated = env.writeFile('connections.yaml', printed.stdout);
    const { out, io } = captured();
    const code = await main(['check', '--json', '--config', migrated], {
      ...io,
      env: process.env,
    });
    expect(code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.accountsFrom).toBe('connections[0]');
    expect(report.problems).toEqual([]);
  });

  it('refuses what a connection cannot hold, and a config that has a connection already', async () => {
    const refused = await print({
      mainAccount: MAIN_KEYS,
      accountDefaults: { roleName: 'r', durationSeconds: 3600 },
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      'aws.accountDefaults.durationSeconds: an aws connection cannot hold it',
    );

    const file = env.writeFile(
      'both.yaml',
      stringify({
        aws: { mainAccount: MAIN_KEYS },
        connections: [
          { type: 'aws', auth: [{ method: 'account', mainAccount: true }] },
        ],
      }),
    );
    const { out, io } = captured();
    expect(
      await main(['check', '--print-connections', '--config', file], io),
    ).toBe(1);
    expect(out.stderr).toBe(
      'The config already has an aws connection (connections[0]): it holds the AWS accounts, so there is nothing to convert.\n',
    );
  });
});
