import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  connectionsServiceRef,
  declareConnection,
} from '@backstage/backend-plugin-api/alpha';
import { connectionsServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigSources, MutableConfigSource } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/config';
import type { ConnectionsService } from '@backstage/connections';
import {
  MAIN,
  MAIN_KEYS,
  OTHER,
  useAwsTestEnv,
} from '../__testUtils__/awsTestEnv';
import { settleUntil } from '../__testUtils__/fakeClock';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';
import { awsCredentialsServiceFactory } from './awsCredentialsServiceFactory';
import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';

const MAIN_ENTRY = { method: 'account', mainAccount: true, ...MAIN_KEYS };
const ROLE_ACCOUNT = '444444444444';
const OTHER_KEYS = {
  accessKeyId: OTHER.accessKeyId,
  secretAccessKey: OTHER.secretAccessKey,
};

/** A connections config with one aws connection. */
function withConnection(connection: JsonObject, aws?: JsonObject): JsonObject {
  return {
    ...(aws && { aws }),
    connections: [{ type: 'aws', ...connection }],
  };
}

/** A plugin that uses the framework's connections service, as it is meant to be used. */
function connectionsConsumer(found: ConnectionsService[]) {
  return createBackendPlugin({
    pluginId: 'consumer',
    register(env) {
      declareConnection(env, { type: 'aws' } as any);
      env.registerInit({
        deps: { connections: connectionsServiceRef },
        async init({ connections }) {
          found.push(connections);
        },
      });
    },
  });
}

describe('the service with an aws connection', () => {
  const env = useAwsTestEnv();
  const assumeRoles = () => env.sts.callsOf('AssumeRole');

  const connection = {
    roleName: 'reader',
    auth: [
      MAIN_ENTRY,
      { method: 'account', accountId: OTHER.accountId, ...OTHER_KEYS },
    ],
  };

  it('serves a plugin from a config with only connections, without connectionsServiceFactory', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      config: mockServices.rootConfig({ data: withConnection(connection) }),
    });
    const catalog = backend.view('catalog');

    const role = await catalog.getCredentialProvider({
      accountId: ROLE_ACCOUNT,
    });
    expect(role.roleArn).toBe(`arn:aws:iam::${ROLE_ACCOUNT}:role/reader`);
    await role.sdkCredentialProvider();
    expect(assumeRoles()[0].accessKeyId).toBe(MAIN.accessKeyId);
    await expect(
      credentialsOf(catalog, { accountId: OTHER.accountId }),
    ).resolves.toEqual(OTHER_KEYS);
    await expect(credentialsOf(catalog)).resolves.toEqual(MAIN_KEYS);

    const info = backend.logs.filter(l => l.level === 'info');
    expect(info.map(l => l.message)).toContain(
      'AWS credentials: 1 account(s) configured in the aws connection connections[0], main account uses static keys, account defaults apply',
    );
    expect(backend.logs.filter(l => l.level === 'warn')).toEqual([]);
    const served = backend.logs.filter(l => l.message.includes('served by'));
    expect(served.map(l => l.message)).toEqual([
      `AWS account ${ROLE_ACCOUNT} is served by connections[0] (role) as role session backstage`,
      `AWS account ${OTHER.accountId} is served by connections[0].auth[1] (static keys)`,
      'The main AWS account is served by connections[0].auth[0] (static keys)',
    ]);
    const logged = JSON.stringify(backend.logs);
    for (const secret of [
      MAIN.accessKeyId,
      MAIN.secretAccessKey,
      OTHER.accessKeyId,
      OTHER.secretAccessKey,
    ]) {
      expect(logged).not.toContain(secret);
    }
    await backend.stop();
  });

  it("answers as the framework's connections service does, next to a plugin that uses it", async () => {
    const found: ConnectionsService[] = [];
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      config: mockServices.rootConfig({ data: withConnection(connection) }),
      features: [connectionsServiceFactory, connectionsConsumer(found)],
    });
    const answer = await found[0].find({
      type: 'aws',
      query: { accountId: OTHER.accountId },
      authMethods: ['account'],
    });
    expect(answer.auth).toMatchObject({ accountId: OTHER.accountId });
    await expect(
      credentialsOf(backend.view('catalog'), { accountId: OTHER.accountId }),
    ).resolves.toEqual({
      accessKeyId: answer.auth.accessKeyId,
      secretAccessKey: answer.auth.secretAccessKey,
    });
    expect(backend.logs.filter(l => l.level === 'warn')).toEqual([]);
    await backend.stop();
  });

  it('shares one role session among plugins: one AssumeRole per account and session', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder', 'search'],
      config: mockServices.rootConfig({ data: withConnection(connection) }),
    });
    const credentials = await Promise.all(
      ['catalog', 'scaffolder', 'search'].map(id =>
        credentialsOf(backend.view(id), { accountId: ROLE_ACCOUNT }),
      ),
    );
    expect(new Set(credentials.map(c => c.accessKeyId)).size).toBe(1);
    expect(assumeRoles()).toHaveLength(1);
    await backend.stop();
  });

  it('gives an entry with match.plugins to the plugins it names; another plugin gets what it would get without the entry', async () => {
    const matched = {
      method: 'account',
      accountId: '555555555555',
      roleName: 'deploy',
      match: { plugins: ['scaffolder'] },
    };
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      config: mockServices.rootConfig({
        data: {
          connections: [{ type: 'aws', auth: [MAIN_ENTRY, matched] }],
        },
      }),
    });
    const lookup = { accountId: '555555555555' };
    expect(
      (await backend.view('scaffolder').getCredentialProvider(lookup)).roleArn,
    ).toBe('arn:aws:iam::555555555555:role/deploy');
    await expect(
      backend.view('catalog').getCredentialProvider(lookup),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "There is no AWS integration that matches 555555555555. Add an auth entry with accountId '555555555555' to connections[0].auth (with a roleName, static keys or a profile), or set connections[0].roleName to reach every account through a role.",
    });
    await backend.stop();

    // With a connection role, the other plugins get the role.
    const withRole = await startPluginsBackend({
      pluginIds: ['catalog'],
      config: mockServices.rootConfig({
        data: withConnection({
          roleName: 'reader',
          auth: [MAIN_ENTRY, matched],
        }),
      }),
    });
    expect(
      (await withRole.view('catalog').getCredentialProvider(lookup)).roleArn,
    ).toBe('arn:aws:iam::555555555555:role/reader');
    await withRole.stop();
  });

  it("applies the aws block's settings over the connection: STS endpoint, session names and tags, durations, allow-lists, plugin settings", async () => {
    // Only aws.sts.endpoint can send the calls to the loopback STS now.
    delete process.env.AWS_ENDPOINT_URL_STS;
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      config: mockServices.rootConfig({
        data: withConnection(
          {
            roleName: 'reader',
            auth: [
              MAIN_ENTRY,
              {
                method: 'account',
                accountId: '555555555555',
                roleName: 'deploy',
                durationSeconds: 1800,
                sessionTags: { access: 'deploy' },
                match: { plugins: ['scaffolder'] },
              },
            ],
          },
          {
            sts: { endpoint: env.sts.url },
            roleSessionName: 'backstage-{pluginId}',
            sessionTags: { plugin: '{pluginId}' },
            allowedAccountIds: [ROLE_ACCOUNT, '555555555555'],
            plugins: {
              scaffolder: { accountDefaults: {} },
              catalog: { allowedAccountIds: [ROLE_ACCOUNT] },
            },
          },
        ),
      }),
    });
    await credentialsOf(backend.view('catalog'), { accountId: ROLE_ACCOUNT });
    await credentialsOf(backend.view('scaffolder'), {
      accountId: '555555555555',
    });
    expect(
      assumeRoles().map(c => [
        c.params.RoleArn,
        c.params.RoleSessionName,
        c.params.DurationSeconds,
        c.tags,
      ]),
    ).toEqual([
      [
        `arn:aws:iam::${ROLE_ACCOUNT}:role/reader`,
        'backstage-catalog',
        undefined,
        { plugin: 'catalog' },
      ],
      [
        'arn:aws:iam::555555555555:role/deploy',
        'backstage-scaffolder',
        '1800',
        { plugin: 'scaffolder', access: 'deploy' },
      ],
    ]);
    await expect(
      backend
        .view('catalog')
        .getCredentialProvider({ accountId: '555555555555' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    // The scaffolder switched the connection's role off for itself.
    await expect(
      backend
        .view('scaffolder')
        .getCredentialProvider({ accountId: ROLE_ACCOUNT }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await backend.stop();
  });

  it("ignores the aws block's accounts with one warning, also where connectionsServiceFactory is installed", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      config: mockServices.rootConfig({
        data: withConnection(connection, {
          mainAccount: OTHER_KEYS,
          accounts: [{ accountId: ROLE_ACCOUNT, roleName: 'old' }],
          accountDefaults: { roleName: 'old' },
        }),
      }),
      features: [connectionsServiceFactory],
    });
    expect(
      (
        await backend
          .view('catalog')
          .getCredentialProvider({ accountId: ROLE_ACCOUNT })
      ).roleArn,
    ).toBe(`arn:aws:iam::${ROLE_ACCOUNT}:role/reader`);
    await expect(credentialsOf(backend.view('catalog'))).resolves.toEqual(
      MAIN_KEYS,
    );
    const warnings = backend.logs.filter(l => l.level === 'warn');
    expect(warnings.map(l => l.message)).toEqual([
      'aws.mainAccount, aws.accounts, aws.accountDefaults of the aws block are ignored: the aws connection connections[0] holds the AWS accounts. Move what is missing into the connection (backstage-aws-credentials check --print-connections prints it), then remove them from the aws block; its other settings stay in force.',
    ]);
    await backend.stop();
  });

  it('stops the backend from starting on a bad connection, naming every key path', async () => {
    await expect(
      startTestBackend({
        features: [
          awsCredentialsServiceFactory,
          createBackendPlugin({
            pluginId: 'demo',
            register(reg) {
              reg.registerInit({
                deps: { aws: awsCredentialsServiceRef },
                async init() {},
              });
            },
          }),
          mockServices.rootConfig.factory({
            data: withConnection({
              roleName: 'reader',
              auth: [
                { ...MAIN_ENTRY, roleName: 'x' },
                { method: 'account', accountId: '123', roleName: 'r' },
              ],
            }),
          }),
        ],
      }),
    ).rejects.toThrow(
      /connections\[0\]\.auth\[0\]\.roleName: is not allowed on the mainAccount entry[\s\S]*connections\[0\]\.auth\[1\]\.accountId: must be a 12-digit AWS account ID/,
    );
  });

  describe('config reload', () => {
    async function startReloadable(data: JsonObject) {
      const source = MutableConfigSource.create({ data });
      const config = await ConfigSources.toConfig(source);
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        config,
      });
      return {
        backend,
        async reload(next: JsonObject) {
          const before = backend.logs.length;
          source.setData(next);
          await settleUntil(() =>
            backend.logs
              .slice(before)
              .some(
                l =>
                  l.message === 'AWS credentials configuration reloaded' ||
                  l.level === 'error',
              ),
          );
          return backend.logs.slice(before);
        },
        async stop() {
          await backend.stop();
          config.close();
        },
      };
    }

    it('follows a changed connection as it follows a changed aws block, and refuses an invalid one', async () => {
      const { backend, reload, stop } = await startReloadable(
        withConnection(connection),
      );
      const held = await backend
        .view('catalog')
        .getCredentialProvider({ accountId: ROLE_ACCOUNT });
      await held.sdkCredentialProvider();

      await reload(withConnection({ ...connection, roleName: 'writer' }));
      await held.sdkCredentialProvider();
      expect(assumeRoles().map(c => c.params.RoleArn)).toEqual([
        `arn:aws:iam::${ROLE_ACCOUNT}:role/reader`,
        `arn:aws:iam::${ROLE_ACCOUNT}:role/writer`,
      ]);

      const refused = await reload(
        withConnection({ ...connection, rolename: 'typo' }),
      );
      expect(refused.filter(l => l.level === 'error')).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /previous one stays in force.*connections\[0\]\.rolename: unknown key; did you mean 'roleName'\?/,
          ),
        }),
      ]);
      const after = await backend
        .view('catalog')
        .getCredentialProvider({ accountId: ROLE_ACCOUNT });
      expect(after.roleArn).toBe(`arn:aws:iam::${ROLE_ACCOUNT}:role/writer`);

      // From the connection back to the aws block alone.
      await reload({
        aws: {
          mainAccount: MAIN_KEYS,
          accountDefaults: { roleName: 'fallback' },
        },
      });
      expect(
        (
          await backend
            .view('catalog')
            .getCredentialProvider({ accountId: ROLE_ACCOUNT })
        ).roleArn,
      ).toBe(`arn:aws:iam::${ROLE_ACCOUNT}:role/fallback`);
      await stop();
    });
  });
});
