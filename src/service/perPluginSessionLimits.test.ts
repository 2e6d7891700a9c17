import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { awsCredentialsServiceFactory } from './awsCredentialsServiceFactory';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const ACCOUNT = '333333333333';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;

describe('per-plugin role sessions within what STS accepts', () => {
  const env = useAwsTestEnv();
  const sessionNames = () =>
    env.sts.callsOf('AssumeRole').map(c => c.params.RoleSessionName);

  describe('{pluginId} in a role session name', () => {
    it('keeps the _ of a plugin ID, which STS accepts', async () => {
      // Backstage still takes _ in a plugin ID, with a warning.
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
      const backend = await startPluginsBackend({
        pluginIds: ['tech_insights'],
        aws: {
          mainAccount,
          roleSessionName: 'backstage-{pluginId}',
          sessionTags: { plugin: '{pluginId}' },
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        },
      });
      warn.mockRestore();
      await credentialsOf(backend.view('tech_insights'), {
        accountId: ACCOUNT,
      });
      expect(sessionNames()).toEqual(['backstage-tech_insights']);
      expect(env.sts.callsOf('AssumeRole')[0].tags).toEqual({
        plugin: 'tech_insights',
      });
      await backend.stop();
    });

    it('cuts the name to 64 characters after a long plugin ID is put in, and tags keep the whole ID', async () => {
      const longId =
        'a-plugin-with-a-very-long-id-that-no-role-session-name-can-hold';
      const backend = await startPluginsBackend({
        pluginIds: [longId],
        aws: {
          mainAccount,
          roleSessionName: 'backstage-{pluginId}',
          sessionTags: { plugin: '{pluginId}' },
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        },
      });
      await credentialsOf(backend.view(longId), { accountId: ACCOUNT });

      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.params.RoleSessionName).toBe(
        `backstage-${longId}`.slice(0, 64),
      );
      expect(call.params.RoleSessionName).toHaveLength(64);
      expect(call.tags).toEqual({ plugin: longId });
      await backend.stop();
    });

    it('maps characters STS refuses in a plugin ID to -, for plugin IDs that do not come from createBackendPlugin', async () => {
      // createBackendPlugin only takes letters, digits, - and _, all of
      // which STS accepts; ServiceFactoryTester passes any ID through.
      const subject = await ServiceFactoryTester.from(
        awsCredentialsServiceFactory,
        {
          dependencies: [
            mockServices.rootConfig.factory({
              data: {
                aws: {
                  mainAccount,
                  roleSessionName: 'backstage-{pluginId}',
                  accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
                },
              },
            }),
          ],
        },
      ).getSubject('team tools/é:1');
      await credentialsOf(subject, { accountId: ACCOUNT });
      expect(sessionNames()).toEqual(['backstage-team-tools---1']);
    });
  });

  describe("STS's refusals of sessions with tags or a duration", () => {
    it('says that the trust policy needs sts:TagSession when STS denies a session with tags', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        aws: {
          mainAccount,
          sessionTags: { plugin: '{pluginId}' },
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        },
      });
      env.sts.injectFault(
        {
          status: 403,
          code: 'AccessDenied',
          message: `User: ${MAIN.arn} is not authorized to perform: sts:TagSession on resource: ${READER}`,
        },
        1,
        'AssumeRole',
      );
      const failure = credentialsOf(backend.view('catalog'), {
        accountId: ACCOUNT,
      });
      await expect(failure).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(failure).rejects.toThrow(
        `the session carries tags, so the trust policy of ${READER} must allow sts:TagSession as well as sts:AssumeRole`,
      );
      await backend.stop();
    });

    it('does not blame sts:TagSession when STS denies a session without tags', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        aws: {
          mainAccount,
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        },
      });
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied', message: 'not authorized' },
        1,
        'AssumeRole',
      );
      const failure = credentialsOf(backend.view('catalog'), {
        accountId: ACCOUNT,
      });
      await expect(failure).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(failure).rejects.not.toThrow(/TagSession/);
      await backend.stop();
    });

    it("says that the role's maximum session duration is lower when STS refuses durationSeconds", async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog'],
        aws: {
          mainAccount,
          accounts: [
            { accountId: ACCOUNT, roleName: 'reader', durationSeconds: 7200 },
          ],
        },
      });
      env.sts.maxSessionDurationSeconds = 3600;
      try {
        const failure = credentialsOf(backend.view('catalog'), {
          accountId: ACCOUNT,
        });
        await expect(failure).rejects.toMatchObject({
          name: 'ValidationError',
        });
        await expect(failure).rejects.toThrow(
          `durationSeconds (7200) is more than the maximum session duration of ${READER}; lower it, or raise the role's maximum session duration in IAM`,
        );
        expect(env.sts.callsOf('AssumeRole')[0].params.DurationSeconds).toBe(
          '7200',
        );
      } finally {
        env.sts.maxSessionDurationSeconds = 43200;
      }
      await backend.stop();
    });
  });
});
