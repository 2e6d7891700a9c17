import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigSources, MutableConfigSource } from '@backstage/config-loader';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { settleUntil } from '../__testUtils__/fakeClock';
import * as packageIndex from '../index';
import { awsCredentialsServiceMock } from '../testUtils';
import { AwsCredentialsManager, AwsCredentialsService } from '../types';
import { awsCredentialsServiceFactory } from './awsCredentialsServiceFactory';
import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';

const awsConfig = {
  mainAccount: {
    accessKeyId: MAIN.accessKeyId,
    secretAccessKey: MAIN.secretAccessKey,
  },
  accounts: [{ accountId: '333333333333', roleName: 'reader' }],
  accountDefaults: { roleName: 'fallback' },
};

/** A plugin that keeps what it was injected, the way a plugin author uses the ref. */
function capturingPlugin(pluginId: string, seen: AwsCredentialsManager[]) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { aws: awsCredentialsServiceRef },
        async init({ aws }) {
          seen.push(aws);
        },
      });
    },
  });
}

describe('awsCredentialsServiceFactory', () => {
  const env = useAwsTestEnv();

  it('builds a working manager from the root config', async () => {
    const subject = await ServiceFactoryTester.from(
      awsCredentialsServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
        ],
      },
    ).getSubject('catalog');
    const provider = await subject.getCredentialProvider({
      accountId: '333333333333',
    });
    expect(provider.roleArn).toBe('arn:aws:iam::333333333333:role/reader');
    await provider.sdkCredentialProvider();
    expect(env.sts.callsOf('AssumeRole')[0].accessKeyId).toBe(MAIN.accessKeyId);
  });

  it('logs one start-up line, with no secret', async () => {
    const logger = mockServices.rootLogger.mock();
    const tester = ServiceFactoryTester.from(awsCredentialsServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
        logger.factory,
        mockServices.logger.factory(),
        mockServices.auditor.mock().factory,
      ],
    });
    await tester.getSubject('catalog');
    await tester.getSubject('scaffolder');
    expect(logger.info).toHaveBeenCalledTimes(1);
    const [message, fields] = logger.info.mock.calls[0];
    expect(message).toBe(
      'AWS credentials: 1 account(s) configured, main account uses static keys, account defaults apply',
    );
    expect(JSON.stringify([message, fields])).not.toContain(MAIN.accessKeyId);
  });

  it('gives each plugin its own view over one cache: the same session costs one AssumeRole', async () => {
    const seen: AwsCredentialsManager[] = [];
    await startTestBackend({
      features: [
        capturingPlugin('first', seen),
        capturingPlugin('second', seen),
        awsCredentialsServiceFactory,
        mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
      ],
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    const credentials = await Promise.all(
      seen.map(async aws =>
        (
          await aws.getCredentialProvider({ accountId: '333333333333' })
        ).sdkCredentialProvider(),
      ),
    );
    expect(credentials[0]).toEqual(credentials[1]);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  it("refuses a plugin's lookup by an account ID that is not a string, even one it looked up before, with an InputError that says to quote it", async () => {
    const subject = await ServiceFactoryTester.from(
      awsCredentialsServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
        ],
      },
    ).getSubject('catalog');
    await subject.getCredentialProvider({ accountId: '333333333333' });
    await expect(
      subject.getCredentialProvider({ accountId: 333333333333 as any }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^Invalid AWS account ID 333333333333: an account ID must be a string, not a number; put it in quotes/,
      ),
    });
    await expect(
      subject.getCredentialProvider({ arn: { arn: 'x' } as any }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^Invalid ARN: an ARN must be a string, not an object/,
      ),
    });
  });

  it("is what the package's default export adds, so backend.add(import(...)) works", async () => {
    const seen: AwsCredentialsManager[] = [];
    await startTestBackend({
      features: [
        capturingPlugin('demo', seen),
        // What backend.add(import('backstage-aws-credentials')) receives.
        Promise.resolve(packageIndex),
        mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
      ],
    });
    const provider = await seen[0].getCredentialProvider({
      arn: 'arn:aws:sqs:eu-west-1:333333333333:queue',
    });
    expect(provider.accountId).toBe('333333333333');
  });

  it('is used by default when the adopter did not add it', async () => {
    const seen: AwsCredentialsManager[] = [];
    await startTestBackend({
      features: [
        capturingPlugin('demo', seen),
        mockServices.rootConfig.factory({ data: { aws: awsConfig } }),
      ],
    });
    const provider = await seen[0].getCredentialProvider({
      accountId: '999999999999',
    });
    expect(provider.roleArn).toBe('arn:aws:iam::999999999999:role/fallback');
  });

  it('can be replaced by the mock in tests', async () => {
    const seen: AwsCredentialsManager[] = [];
    await startTestBackend({
      features: [
        capturingPlugin('demo', seen),
        awsCredentialsServiceMock.factory({ accounts: ['333333333333'] }),
      ],
    });
    const provider = await seen[0].getCredentialProvider({
      accountId: '333333333333',
    });
    await expect(provider.sdkCredentialProvider()).resolves.toMatchObject({
      accessKeyId: 'MOCKACCESSKEY333333333333',
    });
    expect(env.sts.calls).toHaveLength(0);
  });

  it('can be replaced by a hand-written factory', async () => {
    const custom: AwsCredentialsService = {
      listAccounts: async () => [{ accountId: '123456789012', source: 'main' }],
      getCredentialProvider: async () => ({
        accountId: '123456789012',
        sdkCredentialProvider: async () => ({
          accessKeyId: 'custom',
          secretAccessKey: 'custom',
        }),
      }),
    };
    const seen: AwsCredentialsManager[] = [];
    await startTestBackend({
      features: [
        capturingPlugin('demo', seen),
        createServiceFactory({
          service: awsCredentialsServiceRef,
          deps: {},
          factory: () => custom,
        }),
      ],
    });
    expect(seen[0]).toBe(custom);
  });

  it('stops the backend from starting on a bad aws config', async () => {
    await expect(
      startTestBackend({
        features: [
          capturingPlugin('demo', []),
          awsCredentialsServiceFactory,
          mockServices.rootConfig.factory({
            data: { aws: { accounts: [{ accountId: '123', roleName: 'r' }] } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /aws\.accounts\[0\]\.accountId: must be a 12-digit AWS account ID/,
    );
  });

  describe('config reload', () => {
    async function startWithMutableConfig(data: object) {
      const source = MutableConfigSource.create({ data: data as any });
      const config = await ConfigSources.toConfig(source);
      const logger = mockServices.rootLogger.mock();
      const subject = await ServiceFactoryTester.from(
        awsCredentialsServiceFactory,
        {
          dependencies: [
            createServiceFactory({
              service: coreServices.rootConfig,
              deps: {},
              factory: () => config,
            }),
            logger.factory,
            mockServices.logger.factory(),
            mockServices.auditor.mock().factory,
          ],
        },
      ).getSubject('catalog');
      return { source, config, logger, subject };
    }

    /** ConfigSources notifies subscribers asynchronously: wait for the service's answer. */
    const reloaded = (
      logger: ReturnType<typeof mockServices.rootLogger.mock>,
    ) =>
      settleUntil(
        () =>
          logger.info.mock.calls.some(
            ([message]) => message === 'AWS credentials configuration reloaded',
          ) || logger.error.mock.calls.length > 0,
      );

    it('replaces the accounts and keeps the cached credentials of unchanged ones', async () => {
      const { source, config, logger, subject } = await startWithMutableConfig({
        aws: {
          ...awsConfig,
          accounts: [
            { accountId: '333333333333', roleName: 'reader' },
            { accountId: '444444444444', roleName: 'old' },
          ],
        },
      });
      const unchanged = await subject.getCredentialProvider({
        accountId: '333333333333',
      });
      const credentials = await unchanged.sdkCredentialProvider();

      source.setData({
        aws: {
          ...awsConfig,
          accounts: [
            { accountId: '333333333333', roleName: 'reader' },
            { accountId: '444444444444', roleName: 'new' },
          ],
        },
      });
      await reloaded(logger);

      const after = await subject.getCredentialProvider({
        accountId: '333333333333',
      });
      expect(after).toBe(unchanged);
      expect(await after.sdkCredentialProvider()).toEqual(credentials);
      const changed = await subject.getCredentialProvider({
        accountId: '444444444444',
      });
      expect(changed.roleArn).toBe('arn:aws:iam::444444444444:role/new');
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
      expect(logger.info).toHaveBeenCalledWith(
        'AWS credentials configuration reloaded',
      );
      config.close();
    });

    it('lets a call in flight finish on the old config', async () => {
      const { source, config, logger, subject } = await startWithMutableConfig({
        aws: awsConfig,
      });
      env.sts.delayMs = 300;
      const before = await subject.getCredentialProvider({
        accountId: '333333333333',
      });
      const inFlight = before.sdkCredentialProvider();
      await settleUntil(() => env.sts.callsOf('AssumeRole').length > 0);

      source.setData({
        aws: {
          ...awsConfig,
          accounts: [{ accountId: '333333333333', roleName: 'writer' }],
        },
      });
      await reloaded(logger);
      const after = await subject.getCredentialProvider({
        accountId: '333333333333',
      });
      expect(after.roleArn).toBe('arn:aws:iam::333333333333:role/writer');

      await expect(inFlight).resolves.toMatchObject({
        accessKeyId: expect.stringMatching(/^ASIA/),
      });
      await after.sdkCredentialProvider();
      expect(env.sts.callsOf('AssumeRole').map(c => c.params.RoleArn)).toEqual([
        'arn:aws:iam::333333333333:role/reader',
        'arn:aws:iam::333333333333:role/writer',
      ]);
      config.close();
    });

    it('refuses an invalid new config, logs the key path and keeps the old one', async () => {
      const { source, config, logger, subject } = await startWithMutableConfig({
        aws: awsConfig,
      });
      source.setData({
        aws: {
          ...awsConfig,
          accounts: [{ accountId: '333333333333', rolename: 'typo' }],
        },
      });
      await reloaded(logger);

      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.error.mock.calls[0][0]).toMatch(
        /previous one stays in force.*aws\.accounts\[0\]\.rolename: unknown key; did you mean 'roleName'\?/,
      );
      const provider = await subject.getCredentialProvider({
        accountId: '333333333333',
      });
      expect(provider.roleArn).toBe('arn:aws:iam::333333333333:role/reader');
      config.close();
    });
  });
});
