import { JsonObject } from '@backstage/config';
import { messageOf, problemsOf } from './__testUtils__/configProblems';
import { readAwsBlock } from './readAwsIntegrationConfig';

const EXTERNAL_ID = 'leak-check-external-id-42';
const SECRET_ACCESS_KEY = 'leak-check/SECRET+access+key/0123456789';

const role = { roleName: 'reader' };

/** `aws` with `settings` on a role account, for key-path tests. */
function onAccount(settings: JsonObject) {
  return { accounts: [{ accountId: '111111111111', ...role, ...settings }] };
}

/** n distinct tags: `prefix0: v`, `prefix1: v`, ... */
function tags(n: number, prefix = 'k'): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']),
  );
}

describe('readAwsIntegrationConfig: role session settings', () => {
  describe('roleSessionName', () => {
    it('is read at every level where it may be set', () => {
      const aws = {
        roleSessionName: 'backstage-{pluginId}',
        accountDefaults: { ...role, roleSessionName: 'defaults' },
        accounts: [
          { accountId: '111111111111', ...role, roleSessionName: 'acct' },
        ],
        plugins: {
          catalog: {
            roleSessionName: 'catalog@{pluginId}',
            accountDefaults: { ...role, roleSessionName: 'p.defaults' },
            accounts: [
              { accountId: '222222222222', ...role, roleSessionName: 'p=a,b' },
            ],
          },
        },
      };
      expect(readAwsBlock(aws)).toStrictEqual({
        mainAccount: {},
        ...aws,
      });
    });

    it('accepts 64 characters, and 63 plus {pluginId}, since the name is cut to 64 at run time', () => {
      expect(problemsOf({ roleSessionName: 'a'.repeat(64) })).toEqual([]);
      expect(
        problemsOf({ roleSessionName: `${'a'.repeat(63)}{pluginId}` }),
      ).toEqual([]);
      expect(problemsOf({ roleSessionName: 'x{pluginId}' })).toEqual([]);
    });

    it('rejects a name longer than 64 characters', () => {
      expect(problemsOf({ roleSessionName: 'a'.repeat(65) })).toEqual([
        'aws.roleSessionName: is 65 characters long; STS takes a role session name of at most 64, so shorten it',
      ]);
    });

    it('rejects a template whose fixed part alone fills the 64 characters, which would cut off the plugin ID', () => {
      expect(
        problemsOf(
          onAccount({ roleSessionName: `${'a'.repeat(64)}{pluginId}` }),
        ),
      ).toEqual([
        'aws.accounts[0].roleSessionName: is 65 characters long without the plugin ID (the role session name is cut to 64 characters at run time, which would cut off the plugin ID); STS takes a role session name of at most 64, so shorten it',
      ]);
    });

    it('rejects a name shorter than 2 characters, even one that is only {pluginId}', () => {
      for (const roleSessionName of ['a', '{pluginId}']) {
        expect(problemsOf({ roleSessionName })).toEqual([
          "aws.roleSessionName: must be at least 2 characters long, even for a one-letter plugin ID (STS's minimum); e.g. backstage-{pluginId}",
        ]);
      }
    });

    it('names the characters STS refuses', () => {
      expect(
        problemsOf({
          plugins: { catalog: { roleSessionName: 'backstage catalog#1' } },
        }),
      ).toEqual([
        `aws.plugins.catalog.roleSessionName: 'backstage catalog#1' has characters STS refuses in a role session name (" ", "#"); use letters, digits, +=,.@_- and {pluginId}`,
      ]);
    });

    it('rejects a placeholder other than {pluginId}, naming it', () => {
      expect(
        problemsOf({ roleSessionName: 'backstage-{pluginId}-{team}-{env}' }),
      ).toEqual([
        'aws.roleSessionName: has the placeholder {team}, {env}, which is not known; the only placeholder is {pluginId}',
      ]);
      expect(problemsOf({ roleSessionName: '{PluginId}' })).toEqual([
        'aws.roleSessionName: has the placeholder {PluginId}, which is not known; the only placeholder is {pluginId}',
      ]);
    });

    it('rejects a value that is not a string, and an empty one', () => {
      expect(
        problemsOf({
          roleSessionName: 42,
          accountDefaults: { ...role, roleSessionName: ' ' },
        }),
      ).toEqual([
        'aws.accountDefaults.roleSessionName: is empty; give it a value or remove the key',
        'aws.roleSessionName: must be a string, not a number; put the value in quotes in YAML',
      ]);
    });

    it('requires roleName on an account and on account defaults', () => {
      expect(
        problemsOf({
          accountDefaults: { roleSessionName: 'bs' },
          accounts: [
            {
              accountId: '111111111111',
              profile: 'dev',
              roleSessionName: 'bs',
            },
          ],
        }),
      ).toEqual([
        'aws.accountDefaults: has roleSessionName but no role name; roleSessionName only applies when a role is assumed, so add roleName or remove roleSessionName',
        'aws.accounts[0]: has roleSessionName but no role name; roleSessionName only applies when a role is assumed, so add roleName or remove roleSessionName',
      ]);
    });

    it('is not a key of aws.mainAccount', () => {
      expect(problemsOf({ mainAccount: { roleSessionName: 'bs' } })).toEqual([
        'aws.mainAccount.roleSessionName: unknown key; the keys allowed here are accountId, accessKeyId, secretAccessKey, profile, region',
      ]);
    });
  });

  describe('sessionTags', () => {
    it('reads tag maps at every level, values with {pluginId}, empty values, letters of any script and spaces', () => {
      const aws = {
        sessionTags: { 'backstage-plugin': '{pluginId}', empty: '' },
        accountDefaults: { ...role, sessionTags: { 'cost center': 'R+D 42' } },
        accounts: [
          {
            accountId: '111111111111',
            ...role,
            sessionTags: { Équipe: 'Plateforme', 'a_b.c:d/e=f+g-h@i': 'ok' },
          },
        ],
        plugins: {
          catalog: {
            sessionTags: { access: 'read-only' },
            accountDefaults: { ...role, sessionTags: { tier: '1' } },
            accounts: [
              {
                accountId: '222222222222',
                ...role,
                sessionTags: { 数据: '値' },
              },
            ],
          },
        },
      };
      expect(readAwsBlock(aws)).toStrictEqual({ mainAccount: {}, ...aws });
    });

    it('leaves out a tag whose value is null, as app-config unsets keys', () => {
      expect(
        readAwsBlock({ sessionTags: { team: 'platform', old: null } }),
      ).toMatchObject({ sessionTags: { team: 'platform' } });
    });

    it('asks to quote a number or boolean value, with the tag key in the path', () => {
      expect(
        problemsOf({
          sessionTags: { 'cost-center': 4711, audit: true, x: ['a'] },
        }),
      ).toEqual([
        'aws.sessionTags.cost-center: must be a string, not a number; put the value in quotes in YAML',
        'aws.sessionTags.audit: must be a string, not a boolean; put the value in quotes in YAML',
        'aws.sessionTags.x: must be a string, not a list',
      ]);
    });

    it('rejects a block that is not a map', () => {
      expect(problemsOf({ sessionTags: ['team=platform'] })).toEqual([
        'aws.sessionTags: must be a map of tag key to value, not a list; e.g. sessionTags: { team: platform }',
      ]);
    });

    it('takes 50 tags, and rejects 51', () => {
      expect(problemsOf({ sessionTags: tags(50) })).toEqual([]);
      expect(problemsOf(onAccount({ sessionTags: tags(51) }))).toEqual([
        'aws.accounts[0].sessionTags: has 51 tags; STS takes at most 50 per session, so remove some',
      ]);
    });

    it('takes keys of 1 to 128 characters', () => {
      expect(problemsOf({ sessionTags: { ['k'.repeat(128)]: 'v' } })).toEqual(
        [],
      );
      expect(
        problemsOf({ sessionTags: { ['k'.repeat(129)]: 'v', '': 'v' } }),
      ).toEqual([
        `aws.sessionTags.${'k'.repeat(
          129,
        )}: a tag key must be 1 to 128 characters long (STS's limit), not 129`,
        "aws.sessionTags.: a tag key must be 1 to 128 characters long (STS's limit), not 0",
      ]);
    });

    it('takes values of up to 256 characters, counting {pluginId} as one', () => {
      expect(
        problemsOf({
          sessionTags: {
            a: 'v'.repeat(256),
            b: `${'v'.repeat(255)}{pluginId}`,
          },
        }),
      ).toEqual([]);
      expect(
        problemsOf({
          sessionTags: {
            a: 'v'.repeat(257),
            b: `${'v'.repeat(256)}{pluginId}`,
          },
        }),
      ).toEqual([
        'aws.sessionTags.a: the tag value is 257 characters long; STS takes at most 256, so shorten it',
        'aws.sessionTags.b: the tag value is 257 characters long; STS takes at most 256, so shorten it',
      ]);
    });

    it('names the characters STS refuses in keys and values', () => {
      expect(
        problemsOf({ sessionTags: { 'team#1': 'a', team: 'x*y!x' } }),
      ).toEqual([
        'aws.sessionTags.team#1: the tag key has characters STS refuses ("#"); use letters, digits, spaces and _.:/=+-@',
        'aws.sessionTags.team: the tag value has characters STS refuses ("*", "!"); use letters, digits, spaces, _.:/=+-@ and {pluginId}',
      ]);
    });

    it('rejects {pluginId} in a key and other placeholders in a value', () => {
      expect(
        problemsOf({ sessionTags: { '{pluginId}': 'yes', team: '{team}' } }),
      ).toEqual([
        "aws.sessionTags.{pluginId}: only tag values may contain {pluginId}, not tag keys; e.g. sessionTags: { backstage-plugin: '{pluginId}' }",
        'aws.sessionTags.team: has the placeholder {team}, which is not known; the only placeholder is {pluginId}',
      ]);
    });

    it('rejects two keys of one block that differ only in case, as STS compares keys without regard to case', () => {
      expect(
        problemsOf({
          plugins: {
            catalog: { sessionTags: { Team: 'a', team: 'b', TEAM: 'c' } },
          },
        }),
      ).toEqual([
        'aws.plugins.catalog.sessionTags.team: is the same tag key as Team, as STS compares tag keys without regard to case; keep one of them',
        'aws.plugins.catalog.sessionTags.TEAM: is the same tag key as Team, as STS compares tag keys without regard to case; keep one of them',
      ]);
    });

    it('refuses tags on a block with webIdentityTokenFile, with the key path', () => {
      const web = {
        ...role,
        webIdentityTokenFile: '/var/run/secrets/token',
        sessionTags: { team: 'platform' },
      };
      const why =
        'is not allowed with webIdentityTokenFile: AssumeRoleWithWebIdentity takes its session tags from the token, so put the tags in the token or remove sessionTags';
      expect(
        problemsOf({
          accountDefaults: web,
          accounts: [{ accountId: '111111111111', ...web }],
          plugins: {
            catalog: {
              accountDefaults: web,
              accounts: [{ accountId: '111111111111', ...web }],
            },
          },
        }),
      ).toEqual([
        `aws.accountDefaults.sessionTags: ${why}`,
        `aws.accounts[0].sessionTags: ${why}`,
        `aws.plugins.catalog.accounts[0].sessionTags: ${why}`,
        `aws.plugins.catalog.accountDefaults.sessionTags: ${why}`,
      ]);
    });

    it('requires roleName on an account', () => {
      expect(
        problemsOf({
          accounts: [
            {
              accountId: '111111111111',
              accessKeyId: 'AKIALEAKCHECKACCESS1',
              secretAccessKey: SECRET_ACCESS_KEY,
              sessionTags: { team: 'a' },
            },
          ],
        }),
      ).toEqual([
        'aws.accounts[0]: has sessionTags but no role name; sessionTags only applies when a role is assumed, so add roleName or remove sessionTags',
      ]);
    });

    describe('merged over aws.sessionTags and the plugin', () => {
      it('rejects a block whose session would carry more than 50 tags with aws.sessionTags', () => {
        expect(
          problemsOf({
            sessionTags: tags(30, 'g'),
            ...onAccount({ sessionTags: tags(21, 'a') }),
          }),
        ).toEqual([
          'aws.accounts[0].sessionTags: merged with aws.sessionTags, the session would carry 51 tags; STS takes at most 50, so remove some',
        ]);
      });

      it('counts a key that the block overrides once, whatever its case', () => {
        const global = tags(30, 'g');
        const own = { ...tags(20, 'a'), G0: 'override' };
        expect(
          problemsOf({
            sessionTags: global,
            ...onAccount({ sessionTags: own }),
          }),
        ).toEqual([]);
      });

      it('rejects a plugin whose tags with aws.sessionTags are more than 50', () => {
        expect(
          problemsOf({
            sessionTags: tags(30, 'g'),
            plugins: { catalog: { sessionTags: tags(21, 'p') } },
          }),
        ).toEqual([
          'aws.plugins.catalog.sessionTags: with aws.sessionTags, the sessions of plugin catalog would carry 51 tags; STS takes at most 50, so remove some',
        ]);
      });

      it("checks the plugin's sessions of global accounts and account defaults, and of its own", () => {
        expect(
          problemsOf({
            sessionTags: tags(20, 'g'),
            accountDefaults: { ...role, sessionTags: tags(20, 'd') },
            accounts: [
              {
                accountId: '111111111111',
                ...role,
                sessionTags: tags(20, 'a'),
              },
              {
                accountId: '222222222222',
                ...role,
                sessionTags: tags(20, 'b'),
              },
            ],
            plugins: {
              catalog: {
                sessionTags: tags(11, 'p'),
                accounts: [
                  // replaces aws.accounts[1] for catalog: that one is not checked
                  {
                    accountId: '222222222222',
                    ...role,
                    sessionTags: tags(19, 'c'),
                  },
                ],
              },
              // no tags of its own: its sessions are the global ones
              scaffolder: {},
            },
          }),
        ).toEqual([
          // aws.plugins.catalog.accounts[0] carries 20 + 11 + 19 = 50: fine
          'aws.accounts[0].sessionTags: merged with aws.sessionTags and aws.plugins.catalog.sessionTags, for plugin catalog, the session would carry 51 tags; STS takes at most 50, so remove some',
          'aws.accountDefaults.sessionTags: merged with aws.sessionTags and aws.plugins.catalog.sessionTags, for plugin catalog, the session would carry 51 tags; STS takes at most 50, so remove some',
        ]);
      });
    });
  });

  describe('durationSeconds', () => {
    it('reads a number or a numeric string as a number of seconds', () => {
      const aws = {
        accountDefaults: { ...role, durationSeconds: 900 },
        accounts: [
          { accountId: '111111111111', ...role, durationSeconds: '43200' },
        ],
        plugins: {
          catalog: {
            accountDefaults: { ...role, durationSeconds: ' 3600 ' },
            accounts: [
              { accountId: '222222222222', ...role, durationSeconds: 7200 },
            ],
          },
        },
      };
      const config = readAwsBlock(aws);
      expect(config.accountDefaults.durationSeconds).toBe(900);
      expect(config.accounts[0].durationSeconds).toBe(43200);
      expect(config.plugins?.catalog.accountDefaults?.durationSeconds).toBe(
        3600,
      );
      expect(config.plugins?.catalog.accounts?.[0].durationSeconds).toBe(7200);
    });

    it("rejects what is outside STS's range of 900 to 43200, or not whole", () => {
      const range =
        'must be a whole number of seconds from 900 (15 minutes) to 43200 (12 hours), the range STS accepts, not';
      expect(
        problemsOf({
          accounts: [899, 43201, 1800.5, '86400'].map((durationSeconds, i) => ({
            accountId: `11111111111${i}`,
            ...role,
            durationSeconds,
          })),
        }),
      ).toEqual([
        `aws.accounts[0].durationSeconds: ${range} 899`,
        `aws.accounts[1].durationSeconds: ${range} 43201`,
        `aws.accounts[2].durationSeconds: ${range} 1800.5`,
        `aws.accounts[3].durationSeconds: ${range} 86400`,
      ]);
    });

    it('rejects a duration string or other types, without quoting them', () => {
      const what =
        'must be a whole number of seconds from 900 (15 minutes) to 43200 (12 hours), not';
      expect(
        problemsOf({
          accountDefaults: { ...role, durationSeconds: '1h' },
          accounts: [
            { accountId: '111111111111', ...role, durationSeconds: true },
            {
              accountId: '222222222222',
              ...role,
              durationSeconds: { hours: 1 },
            },
          ],
        }),
      ).toEqual([
        `aws.accountDefaults.durationSeconds: ${what} another string`,
        `aws.accounts[0].durationSeconds: ${what} a boolean`,
        `aws.accounts[1].durationSeconds: ${what} an object`,
      ]);
    });

    it('requires roleName', () => {
      expect(problemsOf({ accountDefaults: { durationSeconds: 900 } })).toEqual(
        [
          'aws.accountDefaults: has durationSeconds but no role name; durationSeconds only applies when a role is assumed, so add roleName or remove durationSeconds',
        ],
      );
    });

    it('is not a key of aws or of a plugin, only of accounts and account defaults', () => {
      expect(
        problemsOf({
          durationSeconds: 900,
          plugins: { catalog: { durationSeconds: 900 } },
        }),
      ).toEqual([
        'aws.durationSeconds: unknown key; the keys allowed here are mainAccount, accounts, accountDefaults, credentialsTimeout, cache, sts, roleSessionName, sessionTags, allowedAccountIds, plugins, organization',
        'aws.plugins.catalog.durationSeconds: unknown key; the keys allowed here are accounts, accountDefaults, allowedAccountIds, roleSessionName, sessionTags, sessionPolicy, sessionPolicyArns, sourceIdentity',
      ]);
    });
  });

  it('lists problems of every new key together, without a secret', () => {
    const message = messageOf({
      roleSessionName: 'a b',
      sessionTags: { n: 1 },
      accounts: [
        {
          accountId: '111111111111',
          ...role,
          externalId: EXTERNAL_ID,
          durationSeconds: 10,
        },
      ],
    });
    expect(message).toMatch(/^Invalid AWS configuration, 3 problems:/);
    expect(message).not.toContain(EXTERNAL_ID);
  });
});
