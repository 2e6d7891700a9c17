import { ConfigReader } from '@backstage/config';
import { messageOf, problemsOf } from './__testUtils__/configProblems';
import {
  readAwsBlock,
  readAwsIntegrationConfig,
} from './readAwsIntegrationConfig';

const ACCESS_KEY_ID = 'AKIALEAKCHECKACCESS1';
const SECRET_ACCESS_KEY = 'leak-check/SECRET+access+key/0123456789';
const EXTERNAL_ID = 'leak-check-external-id-42';

describe('readAwsIntegrationConfig: aws.plugins', () => {
  it('returns every key of a plugin block as given', () => {
    const aws = {
      accountDefaults: { roleName: 'reader' },
      accounts: [{ accountId: '111111111111', roleName: 'reader' }],
      plugins: {
        scaffolder: {
          accounts: [
            {
              accountId: '111111111111',
              roleName: 'provisioner',
              externalId: EXTERNAL_ID,
              durationSeconds: 1800,
              roleSessionName: 'scaffolder',
              sessionTags: { access: 'write' },
            },
            {
              accountId: '222222222222',
              accessKeyId: ACCESS_KEY_ID,
              secretAccessKey: SECRET_ACCESS_KEY,
            },
            { accountId: '333333333333', profile: 'sandbox' },
          ],
          accountDefaults: {
            roleName: 'provisioner',
            partition: 'aws',
            region: 'eu-west-1',
          },
          allowedAccountIds: ['111111111111', '222222222222', '333333333333'],
          roleSessionName: 'backstage-{pluginId}',
          sessionTags: { 'backstage-plugin': '{pluginId}' },
        },
      },
    };
    const expected = {
      mainAccount: {},
      accountDefaults: aws.accountDefaults,
      accounts: aws.accounts,
      plugins: aws.plugins,
    };
    expect(readAwsBlock(aws)).toStrictEqual(expected);
    expect(readAwsIntegrationConfig(new ConfigReader(aws))).toStrictEqual(
      expected,
    );
  });

  it('keeps accountDefaults: {} (defaults off for the plugin) apart from absent', () => {
    const config = readAwsBlock({
      accountDefaults: { roleName: 'reader' },
      plugins: { catalog: { accountDefaults: {} }, search: {} },
    });
    expect(config.plugins).toStrictEqual({
      catalog: { accountDefaults: {} },
      search: {},
    });
    expect('accountDefaults' in config.plugins!.search).toBe(false);
  });

  it('keeps an empty accounts list and an empty allow-list', () => {
    expect(
      readAwsBlock({
        plugins: { catalog: { accounts: [], allowedAccountIds: [] } },
      }).plugins,
    ).toStrictEqual({ catalog: { accounts: [], allowedAccountIds: [] } });
  });

  it('adds no key to the result when the new blocks are absent', () => {
    expect(
      readAwsBlock({ accounts: [{ accountId: '111111111111', profile: 'p' }] }),
    ).toStrictEqual({
      mainAccount: {},
      accountDefaults: {},
      accounts: [{ accountId: '111111111111', profile: 'p' }],
    });
  });

  it('leaves out a plugin set to null, as app-config unsets keys', () => {
    expect(
      readAwsBlock({ plugins: { catalog: null, search: {} } }).plugins,
    ).toStrictEqual({ search: {} });
  });

  it('accepts the plugin IDs Backstage accepts, and rejects others with the rule', () => {
    expect(
      problemsOf({
        plugins: {
          catalog: {},
          'tech-insights': {},
          kubernetes_ingestor: {},
          a1: {},
        },
      }),
    ).toEqual([]);
    const rule =
      'is not a Backstage plugin ID; a plugin ID starts with a letter and has letters and digits, with single - or _ between them, e.g. catalog or tech-insights';
    expect(
      problemsOf({
        plugins: {
          '1catalog': {},
          'my plugin': {},
          'cat--alog': {},
          'cat.alog': {},
        },
      }),
    ).toEqual([
      `aws.plugins.1catalog: '1catalog' ${rule}`,
      `aws.plugins.my plugin: 'my plugin' ${rule}`,
      `aws.plugins.cat--alog: 'cat--alog' ${rule}`,
      `aws.plugins.cat.alog: 'cat.alog' ${rule}`,
    ]);
  });

  it('rejects plugins and plugin blocks that are not objects, each with its own path', () => {
    expect(problemsOf({ plugins: ['catalog'] })).toEqual([
      'aws.plugins: must be an object, not a list',
    ]);
    expect(
      problemsOf({
        plugins: {
          catalog: 'read-only',
          search: {
            accounts: { accountId: '111111111111' },
            accountDefaults: [],
          },
        },
      }),
    ).toEqual([
      "aws.plugins.catalog: must be an object with the plugin's settings, not a string",
      "aws.plugins.search.accounts: must be a list of accounts, not an object; start each entry with '- accountId:'",
      'aws.plugins.search.accountDefaults: must be an object, not a list',
    ]);
  });

  it('rejects unknown keys of a plugin, with a hint', () => {
    expect(
      problemsOf({
        plugins: {
          catalog: { allowedAccounts: ['111111111111'], roleName: 'reader' },
        },
      }),
    ).toEqual([
      "aws.plugins.catalog.allowedAccounts: unknown key; did you mean 'allowedAccountIds'?",
      'aws.plugins.catalog.roleName: unknown key; the keys allowed here are accounts, accountDefaults, allowedAccountIds, roleSessionName, sessionTags, sessionPolicy, sessionPolicyArns, sourceIdentity',
    ]);
  });

  describe('accounts of a plugin', () => {
    it('are checked like aws.accounts, with the plugin path', () => {
      expect(
        problemsOf({
          plugins: {
            catalog: {
              accounts: [
                { roleName: 'reader' },
                { accountId: 111111111111 },
                { accountId: '222222222222', profile: 'p', roleName: 'r' },
                { accountId: '333333333333', accessKeyId: ACCESS_KEY_ID },
                { accountId: '444444444444', externalId: EXTERNAL_ID },
                { accountId: '555555555555', roleNmae: 'r' },
                'reader',
              ],
            },
          },
        }),
      ).toEqual([
        "aws.plugins.catalog.accounts[6]: must be an object with accountId and the account's settings, not a string",
        'aws.plugins.catalog.accounts[0].accountId: is missing; every entry of aws.plugins.catalog.accounts needs the 12-digit ID of its account',
        'aws.plugins.catalog.accounts[1].accountId: must be a string, not a number; put the value in quotes in YAML',
        'aws.plugins.catalog.accounts[2]: has both a profile and a roleName, but only one must be specified; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
        'aws.plugins.catalog.accounts[3]: has accessKeyId but no secret access key; add secretAccessKey, or remove accessKeyId',
        'aws.plugins.catalog.accounts[4]: has externalId but no role name; externalId only applies when a role is assumed, so add roleName or remove externalId',
        "aws.plugins.catalog.accounts[5].roleNmae: unknown key; did you mean 'roleName'?",
      ]);
    });

    it('refuse an account twice in one plugin, but may repeat a global entry', () => {
      const entry = { accountId: '111111111111', roleName: 'reader' };
      expect(
        problemsOf({
          accounts: [entry],
          plugins: {
            catalog: { accounts: [entry] },
            search: { accounts: [entry] },
          },
        }),
      ).toEqual([]);
      expect(
        problemsOf({ plugins: { catalog: { accounts: [entry, entry] } } }),
      ).toEqual([
        'aws.plugins.catalog.accounts[1].accountId: account 111111111111 is already configured at aws.plugins.catalog.accounts[0]; merge the two entries',
      ]);
    });

    it('never show a secret in a message', () => {
      const message = messageOf({
        plugins: {
          catalog: {
            accounts: [
              { accountId: '111111111111', secretAccessKey: SECRET_ACCESS_KEY },
              { accountId: '222222222222', externalId: EXTERNAL_ID },
              { accountId: '333333333333', accessKeyId: 42 },
            ],
            accountDefaults: { externalId: EXTERNAL_ID, roleName: 'a/b' },
          },
        },
      });
      expect(message).toMatch(/^Invalid AWS configuration, 4 problems:/);
      for (const secret of [ACCESS_KEY_ID, SECRET_ACCESS_KEY, EXTERNAL_ID]) {
        expect(message).not.toContain(secret);
      }
    });
  });

  describe('account defaults of a plugin', () => {
    it('are checked like aws.accountDefaults, with the plugin path', () => {
      expect(
        problemsOf({
          plugins: {
            catalog: {
              accountDefaults: {
                region: 'eu-west-1',
                partition: 'aws-cm',
                profile: 'p',
              },
            },
          },
        }),
      ).toEqual([
        'aws.plugins.catalog.accountDefaults.profile: unknown key; the keys allowed here are roleName, partition, region, externalId, webIdentityTokenFile, roleSessionName, sessionTags, durationSeconds, assumeRoleChain, sessionPolicy, sessionPolicyArns, sourceIdentity',
        "aws.plugins.catalog.accountDefaults.partition: 'aws-cm' is not an AWS partition; did you mean 'aws-cn'? (for a partition newer than your AWS SDK, update the @aws-sdk packages)",
        'aws.plugins.catalog.accountDefaults: has region but no role name; region only applies when a role is assumed, so add roleName or remove region',
        'aws.plugins.catalog.accountDefaults: has partition but no role name; partition only applies when a role is assumed, so add roleName or remove partition',
      ]);
    });
  });
});

describe('readAwsIntegrationConfig: allowedAccountIds', () => {
  it('reads the global and the plugin lists, keeping an empty one', () => {
    const config = readAwsBlock({
      allowedAccountIds: ['111111111111', '012345678901'],
      plugins: { catalog: { allowedAccountIds: [] } },
    });
    expect(config.allowedAccountIds).toStrictEqual([
      '111111111111',
      '012345678901',
    ]);
    expect(config.plugins?.catalog.allowedAccountIds).toStrictEqual([]);
  });

  it('leaves the key out when it is null', () => {
    expect(
      'allowedAccountIds' in readAwsBlock({ allowedAccountIds: null }),
    ).toBe(false);
  });

  it('asks to quote an ID given as a number, and rejects one of the wrong length', () => {
    expect(
      problemsOf({
        allowedAccountIds: ['111111111111', 12345678901, '12345678901', true],
      }),
    ).toEqual([
      'aws.allowedAccountIds[1]: must be a string, not a number; put the account ID in quotes in YAML so leading zeros are kept',
      'aws.allowedAccountIds[2]: must be a 12-digit AWS account ID (got 11 characters); quote it in YAML so leading zeros are kept',
      'aws.allowedAccountIds[3]: must be a string, not a boolean',
    ]);
  });

  it('rejects an ID listed twice, naming the first', () => {
    expect(
      problemsOf({
        plugins: {
          catalog: {
            allowedAccountIds: ['111111111111', '222222222222', '111111111111'],
          },
        },
      }),
    ).toEqual([
      'aws.plugins.catalog.allowedAccountIds[2]: account 111111111111 is already listed at aws.plugins.catalog.allowedAccountIds[0]; remove one of them',
    ]);
  });

  it('rejects a value that is not a list', () => {
    expect(problemsOf({ allowedAccountIds: '111111111111' })).toEqual([
      "aws.allowedAccountIds: must be a list of 12-digit account IDs, not a string; start each entry with '- ' and quote it, e.g. - '123456789012'",
    ]);
  });
});
