import { ConfigReader, JsonObject } from '@backstage/config';
import { buildConnectionsFromConfig } from '@backstage/connections/config';
import { InputError } from '@backstage/errors';
import { configWarnings, problemsOf } from '../config';
import { keyPathsOf } from '../config/keyPaths';
import { readAccountSources } from './readAccountSources';

// Recognisable secret values: no problem may ever contain them.
const ACCESS_KEY_ID = 'AKIALEAKCHECKCONN001';
const SECRET_ACCESS_KEY = 'leak-check/CONNECTION+secret/0123456789';
const EXTERNAL_ID = 'leak-check-connection-external-id';
const KEYS = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };

const MAIN_ENTRY = { method: 'account', mainAccount: true, ...KEYS };

function aws(auth: JsonObject[], connection: JsonObject = {}): JsonObject {
  return { type: 'aws', ...connection, auth };
}

function read(data: JsonObject) {
  return readAccountSources(new ConfigReader(data));
}

/** The model without its key paths (a symbol property), to compare it whole. */
function plain(config: object) {
  return Object.fromEntries(Object.entries(config));
}

/** The problems the config is refused with, checked for secrets. */
function problems(data: JsonObject): string[] {
  try {
    read(data);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    for (const secret of [ACCESS_KEY_ID, SECRET_ACCESS_KEY, EXTERNAL_ID]) {
      expect(message).not.toContain(secret);
    }
    return problemsOf(error)!;
  }
  throw new Error('expected the config to be refused');
}

/** Whether the connections framework's own config reading refuses it too. */
function frameworkRefuses(data: JsonObject): boolean {
  try {
    buildConnectionsFromConfig({ config: new ConfigReader(data) });
    return false;
  } catch {
    return true;
  }
}

describe('readAccountSources', () => {
  describe('an aws connection', () => {
    it('becomes the model of the aws block: main entry, connection role, entries, match.plugins', () => {
      const config = read({
        connections: [
          aws(
            [
              { method: 'account', accountId: '111111111111', roleName: 'r1' },
              { ...MAIN_ENTRY, region: 'eu-west-1' },
              {
                method: 'account',
                accountId: '222222222222',
                roleName: 'deploy',
                durationSeconds: 1800,
                sessionTags: { team: 'platform' },
                match: { plugins: ['scaffolder', 'catalog'] },
              },
            ],
            { roleName: 'ReadOnly', externalId: EXTERNAL_ID },
          ),
        ],
      });
      expect(plain(config)).toEqual({
        mainAccount: { ...KEYS, region: 'eu-west-1' },
        accountDefaults: { roleName: 'ReadOnly', externalId: EXTERNAL_ID },
        accounts: [{ accountId: '111111111111', roleName: 'r1' }],
        plugins: {
          scaffolder: {
            accounts: [expect.objectContaining({ roleName: 'deploy' })],
          },
          catalog: {
            accounts: [expect.objectContaining({ roleName: 'deploy' })],
          },
        },
      });
      expect(config.plugins!.catalog.accounts![0]).toEqual({
        accountId: '222222222222',
        roleName: 'deploy',
        durationSeconds: 1800,
        sessionTags: { team: 'platform' },
      });
      const paths = keyPathsOf(config);
      expect(paths.origin).toBe('connections[0]');
      expect(paths.mainAccount).toBe('connections[0].auth[1]');
      expect(paths.accountDefaults).toBe('connections[0]');
      expect(paths.account(0)).toBe('connections[0].auth[0]');
      expect(paths.pluginAccount('catalog', 0)).toBe('connections[0].auth[2]');
    });

    it("keeps the aws block's settings and drops its accounts, naming them once in a warning", () => {
      const config = read({
        aws: {
          mainAccount: { profile: 'old' },
          accounts: [{ accountId: '333333333333', roleName: 'old' }],
          sts: { endpoint: 'http://127.0.0.1:4566' },
          roleSessionName: 'backstage-{pluginId}',
          allowedAccountIds: ['111111111111'],
          credentialsTimeout: '5s',
          plugins: {
            catalog: {
              allowedAccountIds: ['111111111111'],
              accounts: [{ accountId: '444444444444', roleName: 'own' }],
            },
          },
        },
        connections: [
          { type: 'github', host: 'github.com', auth: [{ method: 'none' }] },
          aws([
            MAIN_ENTRY,
            { method: 'account', accountId: '111111111111', roleName: 'r1' },
            {
              method: 'account',
              accountId: '555555555555',
              roleName: 'matched',
              match: { plugins: ['catalog'] },
            },
          ]),
        ],
      });
      expect(plain(config)).toEqual({
        mainAccount: KEYS,
        accountDefaults: {},
        accounts: [{ accountId: '111111111111', roleName: 'r1' }],
        sts: { endpoint: 'http://127.0.0.1:4566' },
        roleSessionName: 'backstage-{pluginId}',
        allowedAccountIds: ['111111111111'],
        credentialsTimeoutMs: 5000,
        plugins: {
          catalog: {
            allowedAccountIds: ['111111111111'],
            accounts: [
              { accountId: '555555555555', roleName: 'matched' },
              { accountId: '444444444444', roleName: 'own' },
            ],
          },
        },
      });
      const paths = keyPathsOf(config);
      expect(paths.origin).toBe('connections[1]');
      expect(paths.pluginAccount('catalog', 0)).toBe('connections[1].auth[2]');
      expect(paths.pluginAccount('catalog', 1)).toBe(
        'aws.plugins.catalog.accounts[0]',
      );
      const warnings = configWarnings(config).filter(w =>
        w.message.includes('ignored'),
      );
      expect(warnings).toEqual([
        {
          path: 'aws.mainAccount',
          message:
            'aws.mainAccount, aws.accounts of the aws block are ignored: the aws connection connections[1] holds the AWS accounts. Move what is missing into the connection (backstage-aws-credentials check --print-connections prints it), then remove them from the aws block; its other settings stay in force.',
        },
      ]);
    });

    it('lets a mainAccount entry with an accountId answer for that account before the connection role, as the framework matches it', () => {
      const config = read({
        connections: [
          aws([{ ...MAIN_ENTRY, accountId: '123456789012' }], {
            roleName: 'ReadOnly',
          }),
        ],
      });
      expect(config.mainAccount).toEqual({
        ...KEYS,
        accountId: '123456789012',
      });
      expect(config.accounts).toEqual([{ ...KEYS, accountId: '123456789012' }]);
      expect(keyPathsOf(config).account(0)).toBe('connections[0].auth[0]');
    });

    it('reads a connection without a mainAccount entry as the default chain, with no warning about the aws block', () => {
      const config = read({
        aws: { sts: { useFipsEndpoint: true } },
        connections: [
          aws([{ method: 'account', accountId: '111111111111', profile: 'p' }]),
        ],
      });
      expect(config.mainAccount).toEqual({});
      expect(keyPathsOf(config).mainAccountIdFix).toBe(
        "add an auth entry with mainAccount: true and the main account's accountId to connections[0].auth",
      );
      expect(configWarnings(config)).toEqual([]);
    });

    it('reads the aws block alone as before when no connection is of type aws', () => {
      const config = read({
        aws: { accounts: [{ accountId: '111111111111', roleName: 'r' }] },
        connections: [
          { type: 'gitlab', host: 'gitlab.com', auth: [{ method: 'none' }] },
        ],
      });
      expect(keyPathsOf(config).origin).toBe('aws');
      expect(keyPathsOf(config).account(0)).toBe('aws.accounts[0]');
    });
  });

  describe("the framework's rules, with key paths and the aws block's phrases", () => {
    const refused: Array<[string, JsonObject, string[]]> = [
      [
        'a second aws connection',
        { connections: [aws([MAIN_ENTRY]), aws([MAIN_ENTRY])] },
        [
          'connections[1]: is a second aws connection, but the connections framework takes only one (aws is a singleton type); merge its auth entries into connections[0]',
        ],
      ],
      [
        'a connection without auth entries',
        { connections: [aws([])] },
        [
          "connections[0].auth: must be a list of at least one auth entry, not an empty list; start each entry with '- method: account'",
        ],
      ],
      [
        'a second mainAccount entry',
        { connections: [aws([MAIN_ENTRY, { ...MAIN_ENTRY }])] },
        [
          'connections[0].auth[1].mainAccount: a second entry is marked mainAccount, but the connections framework takes only one (the first is connections[0].auth[0]); keep one',
        ],
      ],
      [
        'an account ID twice',
        {
          connections: [
            aws([
              { ...MAIN_ENTRY, accountId: '111111111111' },
              { method: 'account', accountId: '111111111111', roleName: 'a' },
            ]),
          ],
        },
        [
          'connections[0].auth[1].accountId: account 111111111111 is already configured at connections[0].auth[0]; merge the two entries',
        ],
      ],
      [
        'a connection role without a mainAccount entry',
        {
          connections: [
            aws([{ method: 'account', accountId: '111111111111' }], {
              roleName: 'r',
            }),
          ],
        },
        [
          "connections[0].roleName: is assumed with the main account's credentials, but no auth entry has mainAccount: true; add one (with no keys or profile, it uses the AWS SDK's default credential chain)",
        ],
      ],
      [
        'an entry without accountId or mainAccount',
        { connections: [aws([{ method: 'account', roleName: 'r' }])] },
        [
          "connections[0].auth[0].accountId: is missing; an auth entry needs the 12-digit ID of its account, or mainAccount: true for the main account's credentials",
        ],
      ],
      [
        'a roleName on the mainAccount entry',
        { connections: [aws([{ ...MAIN_ENTRY, roleName: 'r' }])] },
        [
          'connections[0].auth[0].roleName: is not allowed on the mainAccount entry: its credentials assume the roles of the other accounts; set roleName on the connection to reach every account through a role, or on an entry with the accountId of the account',
        ],
      ],
      [
        'an unknown key on the connection',
        { connections: [aws([MAIN_ENTRY], { rolename: 'r' })] },
        ["connections[0].rolename: unknown key; did you mean 'roleName'?"],
      ],
      [
        'a connection setting without a role',
        { connections: [aws([MAIN_ENTRY], { region: 'eu-west-1' })] },
        [
          'connections[0]: has region but no role name; region only applies when a role is assumed, so add roleName or remove region',
        ],
      ],
      [
        'an entry with a profile and a role',
        {
          connections: [
            aws([
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '111111111111',
                profile: 'p',
                roleName: 'r',
              },
            ]),
          ],
        },
        [
          'connections[0].auth[1]: has both a profile and a roleName, but only one must be specified; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
        ],
      ],
      [
        'an entry with half a key pair',
        {
          connections: [
            aws([
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '111111111111',
                accessKeyId: ACCESS_KEY_ID,
              },
            ]),
          ],
        },
        [
          'connections[0].auth[1]: has accessKeyId but no secret access key; add secretAccessKey, or remove accessKeyId',
        ],
      ],
      [
        'web identity with an external ID',
        {
          connections: [
            aws([MAIN_ENTRY], {
              roleName: 'r',
              webIdentityTokenFile: '/token',
              externalId: EXTERNAL_ID,
            }),
          ],
        },
        [
          'connections[0]: has both webIdentityTokenFile and externalId; AssumeRoleWithWebIdentity takes no external ID, so remove externalId',
        ],
      ],
    ];

    it.each(refused)(
      'refuses %s, as the framework does',
      (_title, data, expected) => {
        expect(problems(data)).toEqual(expected);
        expect(frameworkRefuses(data)).toBe(true);
      },
    );

    it('reports every problem of the connection and of the aws block at once', () => {
      expect(
        problems({
          aws: {
            accounts: [{ accountId: '12345', roleName: 'r' }],
            sts: { endpoint: 'ftp://x' },
          },
          connections: [
            aws(
              [
                { method: 'token', accountId: '111111111111' },
                { method: 'account', accountId: '22222222222' },
                { ...MAIN_ENTRY, profile: 'p' },
              ],
              { durationSeconds: 900 },
            ),
          ],
        }),
      ).toEqual([
        'aws.accounts[0].accountId: must be a 12-digit AWS account ID (got 5 characters); quote it in YAML so leading zeros are kept',
        expect.stringMatching(/^aws\.sts\.endpoint: /),
        'connections[0].durationSeconds: is not a key of an aws connection (the connections framework refuses it there); set durationSeconds on an auth entry with a roleName',
        "connections[0].auth[0].method: 'token' is not an auth method of the aws connection type; use 'account'",
        'connections[0].auth[1].accountId: must be a 12-digit AWS account ID (got 11 characters); quote it in YAML so leading zeros are kept',
        'connections[0].auth[2]: has both a profile and static keys (accessKeyId/secretAccessKey), but only one must be specified; keep the profile or the keys',
      ]);
    });

    it('refuses what this package cannot serve: match on the connection or on the mainAccount entry', () => {
      expect(
        problems({
          connections: [
            aws([{ ...MAIN_ENTRY, match: { plugins: ['catalog'] } }], {
              match: { plugins: ['catalog'] },
            }),
          ],
        }),
      ).toEqual([
        "connections[0].match: would hide the whole aws connection, main account included, from every other plugin, which backstage-aws-credentials does not support; put match on the auth entries instead, or narrow a plugin's accounts with aws.plugins.<pluginId>.allowedAccountIds",
        "connections[0].auth[0].match: would leave the other plugins without the main account's credentials, which every plugin shares in backstage-aws-credentials (they sign the roles of every account); remove match, and narrow plugins with aws.plugins.<pluginId>.allowedAccountIds",
      ]);
    });

    it('checks match.plugins and refuses an account that aws.plugins and match.plugins both give a plugin', () => {
      expect(
        problems({
          aws: {
            plugins: {
              catalog: {
                accounts: [{ accountId: '111111111111', roleName: 'own' }],
              },
            },
          },
          connections: [
            aws([
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '111111111111',
                roleName: 'r',
                match: { plugins: ['catalog'] },
              },
              {
                method: 'account',
                accountId: '222222222222',
                match: { plugins: ['Not A Plugin'] },
              },
              {
                method: 'account',
                accountId: '333333333333',
                match: { plugin: ['catalog'] },
              },
            ]),
          ],
        }),
      ).toEqual([
        "connections[0].auth[2].match.plugins[0]: 'Not A Plugin' is not a Backstage plugin ID; a plugin ID starts with a letter and has letters and digits, with single - or _ between them, e.g. catalog or tech-insights",
        "connections[0].auth[3].match.plugin: unknown key; did you mean 'plugins'?",
        'connections[0].auth[3].match.plugins: is missing; list the plugins that see this entry, e.g. plugins: [catalog]',
        'aws.plugins.catalog.accounts[0].accountId: account 111111111111 is already configured for plugin catalog at connections[0].auth[1] (its match.plugins names catalog); keep one of the two entries',
      ]);
    });

    it('checks the merged session tags of connection entries with their key paths', () => {
      const tags = (prefix: string, n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']),
        );
      expect(
        problems({
          aws: { sessionTags: tags('global', 30) },
          connections: [
            aws([
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '111111111111',
                roleName: 'r',
                sessionTags: tags('own', 30),
              },
            ]),
          ],
        }),
      ).toEqual([
        'connections[0].auth[1].sessionTags: merged with aws.sessionTags, the session would carry 60 tags; STS takes at most 50, so remove some',
      ]);
    });

    it('accepts what the framework accepts', () => {
      const data = {
        connections: [
          aws(
            [
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '111111111111',
                title: 'Prod',
                roleName: 'r',
                match: { plugins: ['catalog'] },
              },
            ],
            { roleName: 'ReadOnly', title: 'AWS' },
          ),
        ],
      };
      expect(() => read(data)).not.toThrow();
      expect(frameworkRefuses(data)).toBe(false);
    });
  });
});
