/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRejected", "expectNoSecret"] }] */

import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { configWarnings } from './configWarnings';
import { readAwsIntegrationConfig } from './readAwsIntegrationConfig';

type AwsConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

// Recognisable secret values: no thrown message may ever contain them.
const ACCESS_KEY_ID = 'AKIALEAKCHECKACCESS1';
const SECRET_ACCESS_KEY = 'leak-check/SECRET+access+key/0123456789';
const EXTERNAL_ID = 'leak-check-external-id-42';
const SECRETS = [ACCESS_KEY_ID, SECRET_ACCESS_KEY, EXTERNAL_ID];

const KEYS = {
  accessKeyId: ACCESS_KEY_ID,
  secretAccessKey: SECRET_ACCESS_KEY,
};

function read(aws: AwsConfigData) {
  return readAwsIntegrationConfig(new ConfigReader(aws));
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the config to be rejected');
}

function messageOf(fn: () => unknown): string {
  return errorOf(fn).message;
}

/** Asserts that `fn` throws and that no secret value is in the message. */
function expectNoSecret(fn: () => unknown, secrets: string[] = SECRETS) {
  const message = messageOf(fn);
  for (const secret of secrets) {
    expect(message).not.toContain(secret);
  }
}

/**
 * Asserts that the config is rejected with one InputError whose message
 * matches every pattern (or contains every string) and holds no secret;
 * returns the message.
 */
function expectRejected(
  aws: AwsConfigData,
  ...patterns: Array<RegExp | string>
): string {
  const fn = () => read(aws);
  expect(fn).toThrow(InputError);
  expect(errorOf(fn).name).toBe('InputError');
  for (const pattern of patterns) {
    expect(fn).toThrow(pattern);
  }
  expectNoSecret(fn);
  return messageOf(fn);
}

/** The number of problems an error message lists. */
function problemCount(message: string): number {
  const many = /^Invalid AWS configuration, (\d+) problems:\n/.exec(message);
  if (many) {
    return Number(many[1]);
  }
  return message.startsWith('Invalid AWS configuration, ') ? 1 : 0;
}

describe('readAwsIntegrationConfig', () => {
  describe('valid configs', () => {
    it('returns empty blocks for an empty config', () => {
      expect(read({})).toStrictEqual({
        accounts: [],
        mainAccount: {},
        accountDefaults: {},
      });
    });

    it('returns every key of every block as given', () => {
      const aws = {
        mainAccount: {
          accountId: '111111111111',
          ...KEYS,
          region: 'eu-west-1',
        },
        accountDefaults: {
          roleName: 'backstage-reader',
          partition: 'aws',
          region: 'us-east-1',
          externalId: EXTERNAL_ID,
        },
        accounts: [
          {
            accountId: '222222222222',
            ...KEYS,
            roleName: 'deployer',
            partition: 'aws-us-gov',
            region: 'us-gov-west-1',
            externalId: EXTERNAL_ID,
          },
          { accountId: '333333333333', profile: 'dev' },
          {
            accountId: '012345678901',
            roleName: 'ci@pipeline',
            partition: 'aws-cn',
            region: 'cn-north-1',
            webIdentityTokenFile: '/var/run/secrets/token',
          },
        ],
        credentialsTimeout: '30s',
      };
      expect(read(aws)).toStrictEqual({
        mainAccount: aws.mainAccount,
        accountDefaults: aws.accountDefaults,
        accounts: aws.accounts,
        credentialsTimeoutMs: 30_000,
      });
    });

    it('returns the keys excluded above by the combination rules', () => {
      // A profile and static keys, or webIdentityTokenFile and externalId,
      // cannot be in one block; these are their counterparts.
      const aws = {
        mainAccount: { profile: 'main', region: 'us-east-1' },
        accountDefaults: {
          roleName: 'web-role',
          webIdentityTokenFile: '/token',
        },
      };
      expect(read(aws)).toStrictEqual({ ...aws, accounts: [] });
    });

    it('trims the secret access key and access key ID', () => {
      const config = read({
        mainAccount: {
          accessKeyId: ` ${ACCESS_KEY_ID}\n`,
          secretAccessKey: ' secret \n',
        },
        accounts: [
          {
            accountId: '222222222222',
            accessKeyId: ACCESS_KEY_ID,
            secretAccessKey: '\tsecret ',
          },
        ],
      });
      expect(config.mainAccount.accessKeyId).toBe(ACCESS_KEY_ID);
      expect(config.mainAccount.secretAccessKey).toBe('secret');
      expect(config.accounts[0].secretAccessKey).toBe('secret');
    });

    it('leaves keys that are not set out of the objects', () => {
      const config = read({
        mainAccount: { profile: 'dev', region: undefined },
        accountDefaults: { roleName: 'r' },
        accounts: [{ accountId: '222222222222', profile: undefined }],
      });
      expect(Object.keys(config.mainAccount)).toEqual(['profile']);
      expect(Object.keys(config.accountDefaults)).toEqual(['roleName']);
      expect(Object.keys(config.accounts[0])).toEqual(['accountId']);
      expect(Object.keys(config)).not.toContain('credentialsTimeoutMs');
    });

    it.each([
      ['5s', 5000],
      ['1.5s', 1500],
      ['2 minutes', 120_000],
      ['PT5S', 5000],
      [{ seconds: 5 }, 5000],
      [{ minutes: 1, milliseconds: 250 }, 60_250],
      ['1d', 86_400_000],
      [{ days: 1 }, 86_400_000],
      [{ weeks: 1 }, 604_800_000],
    ])('reads credentialsTimeout %j as %d ms', (credentialsTimeout, ms) => {
      expect(read({ credentialsTimeout }).credentialsTimeoutMs).toBe(ms);
    });

    it.each([
      'us-east-1',
      'cn-north-1',
      'us-gov-west-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'eusc-de-east-1',
      'ap-southeast-5',
    ])('accepts the region %s', region => {
      const config = read({
        mainAccount: { region },
        accountDefaults: { roleName: 'r', region },
        accounts: [{ accountId: '222222222222', roleName: 'r', region }],
      });
      expect(config.mainAccount.region).toBe(region);
      expect(config.accountDefaults.region).toBe(region);
      expect(config.accounts[0].region).toBe(region);
    });

    it.each([
      'aws',
      'aws-cn',
      'aws-us-gov',
      'aws-iso',
      'aws-iso-b',
      'aws-iso-e',
      'aws-iso-f',
      'aws-eusc',
    ])('accepts the partition %s', partition => {
      const config = read({
        accountDefaults: { roleName: 'r', partition },
        accounts: [{ accountId: '222222222222', roleName: 'r', partition }],
      });
      expect(config.accountDefaults.partition).toBe(partition);
      expect(config.accounts[0].partition).toBe(partition);
    });

    it.each(['a', 'a'.repeat(64), 'Role_With+=,.@-All'])(
      'accepts the role name %s',
      roleName => {
        expect(read({ accountDefaults: { roleName } }).accountDefaults).toEqual(
          { roleName },
        );
      },
    );

    it('accepts an account ID with leading zeros', () => {
      expect(
        read({ accounts: [{ accountId: '000000000001' }] }).accounts,
      ).toEqual([{ accountId: '000000000001' }]);
    });
  });

  describe('static keys and profiles', () => {
    const accessKeyOnly = { accessKeyId: ACCESS_KEY_ID };
    const secretOnly = { secretAccessKey: SECRET_ACCESS_KEY };
    it.each([
      ['an access key ID without a secret', 'mainAccount', accessKeyOnly],
      ['an access key ID without a secret', 'accounts[0]', accessKeyOnly],
      ['a secret without an access key ID', 'mainAccount', secretOnly],
      ['a secret without an access key ID', 'accounts[0]', secretOnly],
    ])('rejects %s in %s', (_what, block, entry) => {
      expectRejected(
        block === 'mainAccount'
          ? { mainAccount: entry }
          : { accounts: [{ accountId: '222222222222', ...entry }] },
        `aws.${block}: ${
          'accessKeyId' in entry
            ? 'has accessKeyId but no secret access key; add secretAccessKey, or remove accessKeyId'
            : 'has secretAccessKey but no access key ID; add accessKeyId, or remove secretAccessKey'
        }`,
      );
    });

    it('rejects a profile together with static keys', () => {
      expectRejected(
        {
          mainAccount: { profile: 'dev', ...KEYS },
          accounts: [{ accountId: '222222222222', profile: 'dev', ...KEYS }],
        },
        /aws\.mainAccount: has both a profile and static keys \(accessKeyId\/secretAccessKey\), but only one must be specified; keep the profile or the keys/,
        /aws\.accounts\[0\]: has both a profile and static keys/,
      );
    });

    it('rejects a profile together with a roleName, naming the profile', () => {
      const message = expectRejected(
        {
          accounts: [
            { accountId: '222222222222', profile: 'dev', roleName: 'r' },
          ],
        },
        /aws\.accounts\[0\]: has both a profile and a roleName, but only one must be specified; to assume a role from a profile, set role_arn in that profile/,
      );
      expect(message).not.toMatch(/access key/i);
      expect(problemCount(message)).toBe(1);
    });
  });

  describe('role settings', () => {
    it.each(['externalId', 'region', 'partition', 'webIdentityTokenFile'])(
      'rejects %s without roleName in accounts[i] and accountDefaults',
      key => {
        const value = {
          externalId: EXTERNAL_ID,
          region: 'us-east-1',
          partition: 'aws',
          webIdentityTokenFile: '/token',
        }[key];
        const fix = new RegExp(
          `has ${key} but no role name; ${key} only applies when a role is assumed, so add roleName or remove ${key}`,
        );
        const message = expectRejected(
          {
            mainAccount: KEYS,
            accountDefaults: { [key]: value },
            accounts: [{ accountId: '222222222222', [key]: value }],
          },
          new RegExp(`aws\\.accountDefaults: ${fix.source}`),
          new RegExp(`aws\\.accounts\\[0\\]: ${fix.source}`),
        );
        expect(problemCount(message)).toBe(2);
      },
    );

    it('rejects webIdentityTokenFile together with static keys', () => {
      expectRejected(
        {
          accounts: [
            {
              accountId: '222222222222',
              ...KEYS,
              roleName: 'r',
              webIdentityTokenFile: '/token',
            },
          ],
        },
        /aws\.accounts\[0\]: has both webIdentityTokenFile and static keys, but only one must be specified; .*remove one of them/,
      );
    });

    it('rejects webIdentityTokenFile together with a profile', () => {
      expectRejected(
        {
          accounts: [
            {
              accountId: '222222222222',
              profile: 'dev',
              roleName: 'r',
              webIdentityTokenFile: '/token',
            },
          ],
        },
        /aws\.accounts\[0\]: has both webIdentityTokenFile and a profile, but only one must be specified; remove one of them/,
      );
    });

    it('rejects webIdentityTokenFile together with externalId', () => {
      const fix =
        'has both webIdentityTokenFile and externalId; AssumeRoleWithWebIdentity takes no external ID, so remove externalId';
      const entry = {
        roleName: 'r',
        externalId: EXTERNAL_ID,
        webIdentityTokenFile: '/token',
      };
      expectRejected(
        {
          accountDefaults: entry,
          accounts: [{ accountId: '222222222222', ...entry }],
        },
        new RegExp(`aws\\.accountDefaults: ${fix}`),
        new RegExp(`aws\\.accounts\\[0\\]: ${fix}`),
      );
    });
  });

  describe('account IDs', () => {
    it.each(['12345', '12345678901a', '1234567890123', '1234-5678-9012'])(
      'rejects the account ID %s',
      accountId => {
        expectRejected(
          {
            mainAccount: { accountId },
            accounts: [{ accountId, ...KEYS }],
          },
          /aws\.mainAccount\.accountId: must be a 12-digit AWS account ID/,
          /aws\.accounts\[0\]\.accountId: must be a 12-digit AWS account ID .*quote it in YAML/,
        );
      },
    );

    it('rejects an account ID given as a number, asking to quote it', () => {
      // ConfigReader does not turn numbers into strings; YAML reads an
      // unquoted 123456789012 as a number (and drops leading zeros).
      expectRejected(
        { accounts: [{ accountId: 123456789012, ...KEYS }] },
        /aws\.accounts\[0\]\.accountId: must be a string, not a number; put the value in quotes in YAML/,
      );
    });

    it('rejects an account without accountId', () => {
      expectRejected(
        { accounts: [{ ...KEYS }] },
        /aws\.accounts\[0\]\.accountId: is missing; every entry of aws\.accounts needs the 12-digit ID of its account/,
      );
    });

    it('rejects the same account ID twice, naming both entries', () => {
      const message = expectRejected(
        {
          accounts: [
            { accountId: '222222222222', ...KEYS },
            { accountId: '333333333333', profile: 'p' },
            { accountId: '222222222222', roleName: 'r' },
          ],
        },
        /aws\.accounts\[2\]\.accountId: account 222222222222 is already configured at aws\.accounts\[0\]; merge the two entries/,
      );
      expect(problemCount(message)).toBe(1);
    });
  });

  describe('string values', () => {
    it.each([
      ['mainAccount', 'profile', ''],
      ['mainAccount', 'region', '   '],
      ['accountDefaults', 'roleName', ''],
      ['accountDefaults', 'externalId', ' \n'],
      ['accounts[0]', 'roleName', '\t'],
      ['accounts[0]', 'accountId', ''],
    ])('rejects an empty or blank %s.%s', (block, key, value) => {
      const aws: AwsConfigData =
        block === 'accounts[0]'
          ? { accounts: [{ accountId: '222222222222', [key]: value }] }
          : { [block]: { [key]: value } };
      const message = expectRejected(
        aws,
        `aws.${block}.${key}: is empty; give it a value or remove the key`,
      );
      expect(problemCount(message)).toBe(1);
    });

    it('rejects a blank secret without saying what it was', () => {
      expectRejected(
        { mainAccount: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: '  ' } },
        /aws\.mainAccount\.secretAccessKey: is empty/,
      );
    });

    it('rejects a secret that is not a string without quoting it', () => {
      const fn = () =>
        read({
          mainAccount: {
            accessKeyId: ACCESS_KEY_ID,
            secretAccessKey: 98765432109,
          },
        });
      expect(fn).toThrow(InputError);
      expect(fn).toThrow(/aws\.mainAccount\.secretAccessKey: must be a string/);
      expectNoSecret(fn, [...SECRETS, '98765432109']);
    });
  });

  describe('role names, partitions and regions', () => {
    it.each([
      ['a path', 'team/deployer'],
      ['65 characters', 'a'.repeat(65)],
      ['a space', 'my role'],
      ['an ARN', 'arn:aws:iam::222222222222:role/deployer'],
    ])('rejects a role name with %s', (_, roleName) => {
      expectRejected(
        {
          accountDefaults: { roleName },
          accounts: [{ accountId: '222222222222', roleName }],
        },
        /aws\.accountDefaults\.roleName: '.*' is not a valid IAM role name; use 1 to 64 letters, digits or \+=,\.@_- \(the name only, without a path or ARN\)/,
        /aws\.accounts\[0\]\.roleName: '.*' is not a valid IAM role name/,
      );
    });

    it('refuses a near miss of a known partition with "did you mean"', () => {
      expectRejected(
        {
          accountDefaults: { roleName: 'r', partition: 'aws-cm' },
          accounts: [
            {
              accountId: '222222222222',
              roleName: 'r',
              partition: 'aws-usgov',
            },
          ],
        },
        /aws\.accountDefaults\.partition: 'aws-cm' is not an AWS partition; did you mean 'aws-cn'\?/,
        /aws\.accounts\[0\]\.partition: 'aws-usgov' is not an AWS partition; did you mean 'aws-us-gov'\?/,
      );
    });

    it('refuses a partition name of the wrong shape', () => {
      expectRejected(
        { accountDefaults: { roleName: 'r', partition: 'AWS China' } },
        /aws\.accountDefaults\.partition: 'AWS China' is not an AWS partition name; use one such as aws, aws-cn/,
      );
    });

    it('accepts a well-formed partition newer than the SDK, for a warning at start-up', () => {
      const config = read({
        accounts: [
          {
            accountId: '222222222222',
            roleName: 'r',
            partition: 'aws-moon',
            region: 'moon-base-1',
          },
        ],
      });
      expect(config.accounts[0].partition).toBe('aws-moon');
      expect(configWarnings(config)).toEqual([
        {
          path: 'aws.accounts[0].partition',
          message:
            "aws.accounts[0].partition 'aws-moon' is not a partition this AWS SDK knows; its STS region is aws.accounts[0].region (moon-base-1)",
        },
      ]);
    });

    it.each(['US East', 'us_east_1', 'useast1', 'us-east', 'us-east-1a'])(
      'rejects the region %s',
      region => {
        expectRejected(
          {
            mainAccount: { region, ...KEYS },
            accountDefaults: { roleName: 'r', region },
            accounts: [{ accountId: '222222222222', roleName: 'r', region }],
          },
          new RegExp(
            `aws\\.mainAccount\\.region: '${region}' is not an AWS region name; use a name such as us-east-1`,
          ),
          /aws\.accountDefaults\.region: '.*' is not an AWS region name/,
          /aws\.accounts\[0\]\.region: '.*' is not an AWS region name/,
        );
      },
    );
  });

  describe('unknown keys', () => {
    it('rejects an unknown key under aws with a hint', () => {
      expectRejected(
        { credentialTimeout: '5s' },
        /aws\.credentialTimeout: unknown key; did you mean 'credentialsTimeout'\?/,
      );
    });

    it('rejects an unknown key under aws.mainAccount without quoting its value', () => {
      expectRejected(
        {
          mainAccount: {
            acountId: '111111111111',
            accessKeyId: ACCESS_KEY_ID,
            secretAccesKey: SECRET_ACCESS_KEY,
          },
        },
        /aws\.mainAccount\.acountId: unknown key; did you mean 'accountId'\?/,
        /aws\.mainAccount\.secretAccesKey: unknown key; did you mean 'secretAccessKey'\?/,
      );
    });

    it('rejects an unknown key under aws.accounts[1]', () => {
      const message = expectRejected(
        {
          accounts: [
            { accountId: '222222222222', roleName: 'r' },
            { accountId: '333333333333', rolename: 'r' },
          ],
        },
        /aws\.accounts\[1\]\.rolename: unknown key; did you mean 'roleName'\?/,
      );
      expect(message).not.toMatch(/aws\.accounts\[0\]/);
    });

    it('rejects an unknown key under aws.accountDefaults', () => {
      expectRejected(
        { accountDefaults: { rolename: 'r' } },
        /aws\.accountDefaults\.rolename: unknown key; did you mean 'roleName'\?/,
      );
    });

    it('finds the hint whatever the case of the key', () => {
      expectRejected(
        { mainAccount: { REGION: 'us-east-1' } },
        /aws\.mainAccount\.REGION: unknown key; did you mean 'region'\?/,
      );
    });

    it('lists the allowed keys for a far-off unknown key', () => {
      expectRejected(
        {
          mainAccount: { roleName: 'r' },
          accountDefaults: { bucket: 'b' },
          accounts: [{ accountId: '222222222222', assumeRoleArn: 'x' }],
        },
        /aws\.mainAccount\.roleName: unknown key; the keys allowed here are accountId, accessKeyId, secretAccessKey, profile, region$/m,
        /aws\.accountDefaults\.bucket: unknown key; the keys allowed here are roleName, partition, region, externalId, webIdentityTokenFile, roleSessionName, sessionTags, durationSeconds, assumeRoleChain, sessionPolicy, sessionPolicyArns, sourceIdentity$/m,
        /aws\.accounts\[0\]\.assumeRoleArn: unknown key; the keys allowed here are accountId, accessKeyId, secretAccessKey, profile, roleName, partition, region, externalId, webIdentityTokenFile, roleSessionName, sessionTags, durationSeconds, assumeRoleChain, sessionPolicy, sessionPolicyArns, sourceIdentity$/m,
      );
    });
  });

  describe('shapes', () => {
    it('rejects blocks of the wrong type, each with its own path', () => {
      const message = expectRejected(
        {
          mainAccount: 'dev',
          accountDefaults: ['r'],
          accounts: { accountId: '222222222222' },
          credentialTimeout: '5s',
        },
        /aws\.mainAccount: must be an object/,
        /aws\.accountDefaults: must be an object/,
        /aws\.accounts: must be a list of accounts/,
        /aws\.credentialTimeout: unknown key/,
      );
      expect(problemCount(message)).toBe(4);
    });

    it('rejects an entry of aws.accounts that is not an object', () => {
      expectRejected(
        { accounts: [{ accountId: '222222222222' }, '333333333333'] },
        /aws\.accounts\[1\]: must be an object with accountId and the account's settings/,
      );
    });
  });

  describe('credentialsTimeout', () => {
    it.each(['soon', '10', 42, { secs: 5 }])(
      'rejects %j as not a duration',
      credentialsTimeout => {
        expectRejected(
          { credentialsTimeout },
          /aws\.credentialsTimeout: is not a duration; use a string such as '10s' or an object such as \{ seconds: 10 \}/,
        );
      },
    );

    it.each(['0s', { seconds: 0 }])(
      'rejects %j as zero',
      credentialsTimeout => {
        expectRejected(
          { credentialsTimeout },
          /aws\.credentialsTimeout: must be longer than zero, e\.g\. 10s/,
        );
      },
    );

    it('rejects a timeout too long for a timer', () => {
      expectRejected(
        { credentialsTimeout: '30d' },
        /aws\.credentialsTimeout: must be at most 24 days/,
      );
    });
  });

  describe("the original package's phrases", () => {
    it('keeps them beside the key paths, so searches and alerts written for the original still match', () => {
      const message = expectRejected({
        mainAccount: { accessKeyId: ACCESS_KEY_ID },
        accountDefaults: { externalId: EXTERNAL_ID },
        accounts: [
          { accountId: '222222222222', secretAccessKey: SECRET_ACCESS_KEY },
          { accountId: '333333333333', profile: 'p', roleName: 'r' },
        ],
      });
      for (const phrase of [
        'no secret access key',
        'no access key ID',
        'no role name',
        'only one must be specified',
      ]) {
        expect(message).toContain(phrase);
      }
    });
  });

  describe('several problems', () => {
    it('lists every problem in one InputError', () => {
      const message = expectRejected({
        mainAccount: { accessKeyId: ACCESS_KEY_ID, profile: 'dev' },
        accountDefaults: { externalId: EXTERNAL_ID },
        accounts: [
          { accountId: '12345', secretAccessKey: SECRET_ACCESS_KEY },
          { accountId: '222222222222', roleName: 'a/b', partition: 'aws-cm' },
        ],
        credentialsTimeout: 'soon',
      });
      const expected = [
        'aws.mainAccount: has accessKeyId but no secret access key',
        'aws.mainAccount: has both a profile and static keys',
        'aws.accountDefaults: has externalId but no role name',
        'aws.accounts[0].accountId: must be a 12-digit AWS account ID',
        'aws.accounts[0]: has secretAccessKey but no access key ID',
        "aws.accounts[1].roleName: 'a/b' is not a valid IAM role name",
        "aws.accounts[1].partition: 'aws-cm' is not an AWS partition; did you mean 'aws-cn'?",
        'aws.credentialsTimeout: is not a duration',
      ];
      expect(problemCount(message)).toBe(expected.length);
      const lines = message.split('\n').slice(1);
      expect(lines).toHaveLength(expected.length);
      for (const [index, line] of lines.entries()) {
        expect(line).toMatch(/^ {2}- aws\./);
        expect(line).toContain(expected[index]);
      }
    });

    it('names the right index for problems in later accounts', () => {
      const message = expectRejected(
        {
          accounts: [
            { accountId: '111111111111', ...KEYS },
            { accountId: '222222222222', accessKeyId: ACCESS_KEY_ID },
            { accountId: '333333333333', region: 'us-east-1' },
          ],
        },
        /aws\.accounts\[1\]: has accessKeyId but no secret access key/,
        /aws\.accounts\[2\]: has region but no role name/,
      );
      expect(message).not.toContain('aws.accounts[0]');
      expect(problemCount(message)).toBe(2);
    });
  });
});

describe('readAwsIntegrationConfig: aws.sts', () => {
  it('reads an endpoint and the FIPS switch', () => {
    expect(read({ sts: { endpoint: 'http://localhost:4566' } }).sts).toEqual({
      endpoint: 'http://localhost:4566',
    });
    expect(
      read({ sts: { endpoint: 'https://sts.example.internal/prefix' } }).sts,
    ).toEqual({ endpoint: 'https://sts.example.internal/prefix' });
    expect(read({ sts: { useFipsEndpoint: true } }).sts).toEqual({
      useFipsEndpoint: true,
    });
    expect(read({ sts: { useFipsEndpoint: false } }).sts).toEqual({
      useFipsEndpoint: false,
    });
  });

  it('leaves sts out when the block is absent', () => {
    expect(read({})).not.toHaveProperty('sts');
    expect(read({ sts: {} }).sts).toEqual({});
  });

  it('trims the endpoint, as a value from a secrets file may end in a newline', () => {
    expect(read({ sts: { endpoint: ' http://localhost:4566\n' } }).sts).toEqual(
      { endpoint: 'http://localhost:4566' },
    );
  });

  it("takes 'true' and 'false' strings for useFipsEndpoint, as an environment variable gives them", () => {
    expect(read({ sts: { useFipsEndpoint: 'true' } }).sts).toEqual({
      useFipsEndpoint: true,
    });
    expect(read({ sts: { useFipsEndpoint: 'FALSE' } }).sts).toEqual({
      useFipsEndpoint: false,
    });
  });

  it.each(['not a url', 'localhost:4566', 'ftp://sts.example.com', '/sts'])(
    'rejects %j as an endpoint, naming aws.sts.endpoint',
    endpoint => {
      expectRejected(
        { sts: { endpoint } },
        /^Invalid AWS configuration, aws\.sts\.endpoint: (is not a URL|must start with http:\/\/ or https:\/\/)/,
        'http://localhost:4566',
      );
    },
  );

  it('rejects an endpoint with a user name or password, without quoting it', () => {
    const endpoint = 'https://proxyuser:leak-check-url-password@proxy.example';
    const fn = () => read({ sts: { endpoint } });
    expect(fn).toThrow(
      /aws\.sts\.endpoint: must not contain a user name or password/,
    );
    expectNoSecret(fn, ['leak-check-url-password', 'proxyuser']);
  });

  it('rejects an empty endpoint and one that is not a string', () => {
    expectRejected({ sts: { endpoint: '' } }, /aws\.sts\.endpoint: is empty/);
    expectRejected(
      { sts: { endpoint: 4566 } },
      /aws\.sts\.endpoint: must be a string, not a number/,
    );
  });

  it.each(['yes please', 42, ['true']])(
    'rejects %j for useFipsEndpoint',
    useFipsEndpoint => {
      expectRejected(
        { sts: { useFipsEndpoint } },
        /aws\.sts\.useFipsEndpoint: must be true or false/,
      );
    },
  );

  it('rejects an endpoint together with useFipsEndpoint: true, which the SDK refuses', () => {
    expectRejected(
      { sts: { endpoint: 'http://localhost:4566', useFipsEndpoint: true } },
      /aws\.sts: has both endpoint and useFipsEndpoint: true/,
    );
    expect(
      read({
        sts: { endpoint: 'http://localhost:4566', useFipsEndpoint: false },
      }).sts,
    ).toEqual({ endpoint: 'http://localhost:4566', useFipsEndpoint: false });
  });

  it('rejects unknown keys and a block that is not an object', () => {
    expectRejected(
      { sts: { endpont: 'http://localhost:4566' } },
      /aws\.sts\.endpont: unknown key; did you mean 'endpoint'\?/,
    );
    expectRejected(
      { sts: { url: 'http://localhost:4566' } },
      /aws\.sts\.url: unknown key; the keys allowed here are endpoint, useFipsEndpoint/,
    );
    expectRejected(
      { sts: 'http://localhost:4566' },
      /aws\.sts: must be an object, not a string/,
    );
  });

  it('lists sts problems with the others', () => {
    const message = expectRejected(
      {
        credentialsTimeout: 'soon',
        sts: { endpoint: 'ftp://x', useFipsEndpoint: 'maybe' },
      },
      /aws\.credentialsTimeout: is not a duration/,
      /aws\.sts\.endpoint: must start with http:\/\/ or https:\/\//,
      /aws\.sts\.useFipsEndpoint: must be true or false/,
    );
    expect(problemCount(message)).toBe(3);
  });
});
