import { NotAllowedError } from '@backstage/errors';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { settle, settleUntil, useFakeClock } from '../__testUtils__/fakeClock';
import {
  credentialsOf,
  startPluginsBackend,
  startReloadablePluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const ACCOUNT = '333333333333';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
const PROVISIONER = `arn:aws:iam::${ACCOUNT}:role/provisioner`;

describe('per-plugin views', () => {
  const env = useAwsTestEnv();
  const assumeRoles = () => env.sts.callsOf('AssumeRole');

  describe('config reload', () => {
    const startReloadable = (aws: object) =>
      startReloadablePluginsBackend({
        pluginIds: ['catalog', 'scaffolder'],
        aws,
      });

    it("makes a plugin's held provider follow its new role and session name at its next call", async () => {
      const accounts = [{ accountId: ACCOUNT, roleName: 'reader' }];
      const { backend, reload, stop } = await startReloadable({
        mainAccount,
        accounts,
        plugins: { scaffolder: { roleSessionName: 'scaffolder-old' } },
      });
      const held = await backend
        .view('scaffolder')
        .getCredentialProvider({ accountId: ACCOUNT });
      await held.sdkCredentialProvider();

      await reload({
        mainAccount,
        accounts,
        plugins: {
          scaffolder: {
            roleSessionName: 'scaffolder-new',
            accounts: [{ accountId: ACCOUNT, roleName: 'provisioner' }],
          },
        },
      });
      await held.sdkCredentialProvider();

      expect(
        assumeRoles().map(c => [c.params.RoleArn, c.params.RoleSessionName]),
      ).toEqual([
        [READER, 'scaffolder-old'],
        [PROVISIONER, 'scaffolder-new'],
      ]);
      const fresh = await backend
        .view('scaffolder')
        .getCredentialProvider({ accountId: ACCOUNT });
      expect(fresh.roleArn).toBe(PROVISIONER);
      await stop();
    });

    it('keeps the cached session of a plugin whose settings a reload left alone, though another plugin that shared it moved to a new one', async () => {
      const aws = {
        mainAccount,
        accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
      };
      const { backend, reload, stop } = await startReloadable(aws);
      // The scaffolder fetches first; the catalog then shares its session.
      const before = await credentialsOf(backend.view('scaffolder'), {
        accountId: ACCOUNT,
      });
      const catalog = await backend
        .view('catalog')
        .getCredentialProvider({ accountId: ACCOUNT });
      expect((await catalog.sdkCredentialProvider()).accessKeyId).toBe(
        before.accessKeyId,
      );
      expect(assumeRoles()).toHaveLength(1);

      await reload({
        ...aws,
        plugins: { scaffolder: { roleSessionName: 'scaffolder' } },
      });

      // Nothing changed for the catalog: its session is still 'backstage'.
      expect((await catalog.sdkCredentialProvider()).accessKeyId).toBe(
        before.accessKeyId,
      );
      expect(assumeRoles()).toHaveLength(1);
      await stop();
    });

    it("refuses a held provider's next call once a reload adds an allow-list that leaves its account out", async () => {
      const accounts = [{ accountId: ACCOUNT, roleName: 'reader' }];
      const { backend, reload, stop } = await startReloadable({
        mainAccount,
        accounts,
      });
      const held = await backend
        .view('catalog')
        .getCredentialProvider({ accountId: ACCOUNT });
      await held.sdkCredentialProvider();
      await credentialsOf(backend.view('scaffolder'), { accountId: ACCOUNT });

      await reload({
        mainAccount,
        accounts,
        plugins: { catalog: { allowedAccountIds: ['444444444444'] } },
      });
      const expected = `AWS account ${ACCOUNT} is not allowed to plugin 'catalog': it is not in aws.plugins.catalog.allowedAccountIds`;
      await expect(held.sdkCredentialProvider()).rejects.toThrow(expected);
      await expect(held.sdkCredentialProvider()).rejects.toBeInstanceOf(
        NotAllowedError,
      );
      // A new lookup is refused too: the warm path holds no stale handle.
      await expect(
        backend.view('catalog').getCredentialProvider({ accountId: ACCOUNT }),
      ).rejects.toThrow(expected);
      // The scaffolder has no list of its own and keeps its access, and
      // the session it shared with the catalog.
      await credentialsOf(backend.view('scaffolder'), { accountId: ACCOUNT });
      expect(assumeRoles()).toHaveLength(1);
      await stop();
    });

    it('records role-session-issued for the refresh of a shared session only for the plugins that still use it after a reload', async () => {
      const clock = useFakeClock();
      try {
        const accounts = [{ accountId: ACCOUNT, roleName: 'reader' }];
        const { backend, reload, stop } = await startReloadable({
          mainAccount,
          accounts,
        });
        // Both plugins use one session of the reader role.
        const held = await backend
          .view('scaffolder')
          .getCredentialProvider({ accountId: ACCOUNT });
        await held.sdkCredentialProvider();
        await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
        expect(assumeRoles()).toHaveLength(1);

        // The catalog moves to a role of its own.
        await reload({
          mainAccount,
          accounts,
          plugins: {
            catalog: {
              accounts: [{ accountId: ACCOUNT, roleName: 'provisioner' }],
            },
          },
        });
        // Past the refresh point of the shared session, not yet expired.
        clock.advance(57 * 60_000);
        await held.sdkCredentialProvider();
        await settleUntil(() => backend.audits.some(e => e.meta?.refresh));
        await settle();

        expect(
          backend.audits
            .filter(e => e.meta?.refresh)
            .map(e => [e.pluginId, e.meta?.roleArn]),
        ).toEqual([['scaffolder', READER]]);
        await stop();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('audit events and logs', () => {
    const aws = {
      mainAccount,
      roleSessionName: 'backstage-{pluginId}',
      accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
    };

    it('records a low-severity role-session-issued event per plugin for each new role session, with account, role ARN and session name and no secret', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog', 'scaffolder'],
        aws,
      });
      const credentials = [
        await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT }),
        await credentialsOf(backend.view('scaffolder'), { accountId: ACCOUNT }),
      ];
      await settleUntil(() => backend.audits.length >= 2);

      expect(backend.audits).toEqual(
        ['catalog', 'scaffolder'].map(pluginId => ({
          pluginId,
          eventId: 'role-session-issued',
          severityLevel: 'low',
          meta: {
            accountId: ACCOUNT,
            roleArn: READER,
            roleSessionName: `backstage-${pluginId}`,
            roleChain: [READER],
            sessionPolicy: false,
            refresh: false,
          },
          outcome: 'success',
        })),
      );
      const recorded = JSON.stringify(backend.audits);
      for (const secret of [
        MAIN.secretAccessKey,
        ...credentials.flatMap(c => [c.secretAccessKey, c.sessionToken!]),
      ]) {
        expect(recorded).not.toContain(secret);
      }
      await backend.stop();
    });

    it('records another role-session-issued event, marked as a refresh, when the session is renewed', async () => {
      const clock = useFakeClock();
      try {
        const backend = await startPluginsBackend({
          pluginIds: ['catalog'],
          aws,
        });
        const held = await backend
          .view('catalog')
          .getCredentialProvider({ accountId: ACCOUNT });
        await held.sdkCredentialProvider();
        // Past the refresh point (5 minutes before expiry), not yet expired.
        clock.advance(57 * 60_000);
        await held.sdkCredentialProvider();
        await settleUntil(() => backend.audits.length >= 2);

        expect(assumeRoles()).toHaveLength(2);
        expect(backend.audits.map(e => [e.pluginId, e.meta?.refresh])).toEqual([
          ['catalog', false],
          ['catalog', true],
        ]);
        await backend.stop();
      } finally {
        jest.useRealTimers();
      }
    });

    it('records no event for lookups and calls served from the cache', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        aws,
      });
      await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
      await settleUntil(() => backend.audits.length >= 1);
      for (let i = 0; i < 3; i++) {
        await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
        await credentialsOf(backend.view('catalog'), {
          arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:queue`,
        });
      }
      await settle();
      expect(assumeRoles()).toHaveLength(1);
      expect(backend.audits.map(e => e.eventId)).toEqual([
        'role-session-issued',
      ]);
      await backend.stop();
    });

    it('logs at debug, once per created provider, the plugin, the account, how it is served and the session name', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog', 'scaffolder'],
        aws,
      });
      for (const id of ['catalog', 'scaffolder', 'catalog']) {
        await credentialsOf(backend.view(id), { accountId: ACCOUNT });
      }
      const served = backend.logs.filter(
        l => l.level === 'debug' && l.message.includes('is served by'),
      );
      expect(served).toEqual(
        ['catalog', 'scaffolder'].map(pluginId => ({
          pluginId,
          level: 'debug',
          message: `AWS account ${ACCOUNT} is served by aws.accounts[0] (role) as role session backstage-${pluginId}`,
          fields: {
            plugin: pluginId,
            accountId: ACCOUNT,
            source: 'assume_role',
            roleArn: READER,
            roleSessionName: `backstage-${pluginId}`,
          },
        })),
      );
      expect(JSON.stringify(backend.logs)).not.toContain(MAIN.secretAccessKey);
      await backend.stop();
    });

    it('logs at debug the provider a plugin gets for the main account, with no account given or by its ID', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        aws: {
          ...aws,
          mainAccount: { ...mainAccount, accountId: MAIN.accountId },
        },
      });
      await credentialsOf(backend.view('catalog'));
      await credentialsOf(backend.view('catalog'), {
        accountId: MAIN.accountId,
      });
      const served = backend.logs.filter(
        l => l.level === 'debug' && l.message.includes('is served by'),
      );
      expect(served.map(l => [l.pluginId, l.message, l.fields])).toEqual([
        [
          'catalog',
          'The main AWS account is served by aws.mainAccount (static keys)',
          { plugin: 'catalog', accountId: MAIN.accountId, source: 'static' },
        ],
        [
          'catalog',
          `AWS account ${MAIN.accountId} is served by aws.mainAccount (static keys)`,
          { plugin: 'catalog', accountId: MAIN.accountId, source: 'static' },
        ],
      ]);
      await backend.stop();
    });
  });
});
