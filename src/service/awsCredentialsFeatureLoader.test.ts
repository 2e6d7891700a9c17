import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import * as packageIndex from '../index';
import { awsCredentialsServiceMock, mockAwsCredentials } from '../testUtils';
import { AwsCredentialsManager } from '../types';
import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';

const VALID = {
  mainAccount: {
    accessKeyId: MAIN.accessKeyId,
    secretAccessKey: MAIN.secretAccessKey,
  },
  accounts: [{ accountId: '333333333333', roleName: 'reader' }],
};

/** Two mistakes: an account ID that is not 12 digits, and a typo. */
const INVALID = {
  accounts: [{ accountId: '3333', roleName: 'reader' }],
  acountDefaults: { roleName: 'reader' },
};

/** A plugin that keeps what it was injected. */
function capturingPlugin(seen: AwsCredentialsManager[]) {
  return createBackendPlugin({
    pluginId: 'demo',
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

/**
 * A root logger that every logger of the backend writes to, so the
 * HTTP server's `Listening on ...` line is seen where a user sees it.
 */
function backendLogger() {
  const logger = mockServices.rootLogger.mock();
  logger.child.mockReturnValue(logger);
  const listened = () =>
    logger.info.mock.calls.some(([message]) =>
      String(message).startsWith('Listening on'),
    );
  return { logger, listened };
}

describe("the package's default export", () => {
  useAwsTestEnv();

  it('refuses a bad aws block, every mistake with its key path, before the HTTP server listens', async () => {
    const { logger, listened } = backendLogger();

    const started = startTestBackend({
      features: [
        capturingPlugin([]),
        // What backend.add(import('backstage-aws-credentials')) receives.
        Promise.resolve(packageIndex),
        mockServices.rootConfig.factory({ data: { aws: INVALID } }),
        logger.factory,
      ],
    });

    await expect(started).rejects.toThrow(
      /Invalid AWS configuration, 2 problems:\n.*- aws\.acountDefaults: unknown key; did you mean 'accountDefaults'\?\n.*- aws\.accounts\[0\]\.accountId: must be a 12-digit AWS account ID/,
    );
    expect(listened()).toBe(false);
  });

  it('serves every plugin the service, with the start-up line logged once', async () => {
    const { logger, listened } = backendLogger();
    const seen: AwsCredentialsManager[] = [];

    await startTestBackend({
      features: [
        capturingPlugin(seen),
        Promise.resolve(packageIndex),
        mockServices.rootConfig.factory({ data: { aws: VALID } }),
        logger.factory,
      ],
    });

    expect(listened()).toBe(true);
    const provider = await seen[0].getCredentialProvider({
      arn: 'arn:aws:sqs:eu-west-1:333333333333:queue',
    });
    expect(provider.roleArn).toBe('arn:aws:iam::333333333333:role/reader');
    const startUpLines = logger.info.mock.calls.filter(([message]) =>
      String(message).startsWith('AWS credentials: '),
    );
    expect(startUpLines).toHaveLength(1);
  });

  it('yields to a factory of the service that the backend adds itself, such as the mock', async () => {
    const seen: AwsCredentialsManager[] = [];

    await startTestBackend({
      features: [
        capturingPlugin(seen),
        Promise.resolve(packageIndex),
        awsCredentialsServiceMock.factory({ accounts: ['333333333333'] }),
      ],
    });

    const provider = await seen[0].getCredentialProvider({
      accountId: '333333333333',
    });
    expect(provider.roleArn).toBeUndefined();
    await expect(provider.sdkCredentialProvider()).resolves.toEqual(
      mockAwsCredentials('333333333333'),
    );
  });
});

describe('a backend that relies on the default factory of the ref', () => {
  useAwsTestEnv();

  it('refuses a bad aws block when the first plugin that uses the service starts, after the HTTP server listens', async () => {
    const { logger, listened } = backendLogger();

    const started = startTestBackend({
      features: [
        capturingPlugin([]),
        mockServices.rootConfig.factory({ data: { aws: INVALID } }),
        logger.factory,
      ],
    });

    await expect(started).rejects.toThrow(
      /Plugin 'demo' startup failed; .*InputError: Invalid AWS configuration, 2 problems:/,
    );
    expect(listened()).toBe(true);
  });
});
