import { S3Client } from '@aws-sdk/client-s3';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';
import { awsCredentialsServiceRef } from '../service/awsCredentialsServiceRef';
import { AwsCredentialProviderOptions, AwsCredentialsManager } from '../types';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { awsCredentialsServiceMock, mockAwsCredentials } from '.';

/** How a lookup fails: the error's name and message. */
async function failureOf(
  manager: AwsCredentialsManager,
  opts: AwsCredentialProviderOptions,
) {
  try {
    await manager.getCredentialProvider(opts);
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
  throw new Error(`${JSON.stringify(opts)} was not refused`);
}

describe('awsCredentialsServiceMock', () => {
  const env = useAwsTestEnv();

  const mock = awsCredentialsServiceMock({
    mainAccount: { accountId: '111111111111' },
    accounts: [
      '222222222222',
      {
        accountId: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/r',
        stsRegion: 'eu-west-1',
      },
    ],
  });

  /** The real manager, configured with the same accounts. */
  function realManager() {
    return DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        aws: {
          mainAccount: {
            accountId: '111111111111',
            accessKeyId: MAIN.accessKeyId,
            secretAccessKey: MAIN.secretAccessKey,
          },
          accounts: [
            {
              accountId: '222222222222',
              accessKeyId: 'AKIDACCOUNT2',
              secretAccessKey: 'secret-of-account-2',
            },
          ],
        },
      }),
    );
  }

  it('lists its accounts: the main account first, the others as declared', async () => {
    const aws = awsCredentialsServiceMock({
      accounts: ['222222222222'],
      mainAccount: { accountId: '111111111111' },
    });
    expect(await aws.listAccounts()).toEqual([
      { accountId: '111111111111', source: 'main' },
      { accountId: '222222222222', source: 'declared' },
    ]);
    expect(awsCredentialsServiceMock.mock().listAccounts).toEqual(
      expect.any(Function),
    );
  });

  it('hands out fixed fake credentials per account', async () => {
    const provider = await mock.getCredentialProvider({
      accountId: '222222222222',
    });
    expect(provider.accountId).toBe('222222222222');
    await expect(provider.sdkCredentialProvider()).resolves.toEqual(
      mockAwsCredentials('222222222222'),
    );
    const other = await mock.getCredentialProvider({
      accountId: '333333333333',
    });
    expect(other).toMatchObject({
      roleArn: 'arn:aws:iam::333333333333:role/r',
      stsRegion: 'eu-west-1',
    });
    expect((await other.sdkCredentialProvider()).accessKeyId).not.toBe(
      (await provider.sdkCredentialProvider()).accessKeyId,
    );
  });

  it('hands out credentials an SDK client accepts as a static identity', async () => {
    const provider = await mock.getCredentialProvider({
      accountId: '222222222222',
    });
    // The SDK records where static credentials came from on the object.
    const s3 = new S3Client({
      region: 'us-east-1',
      credentials: await provider.sdkCredentialProvider(),
    });
    await expect(s3.config.credentials()).resolves.toMatchObject(
      mockAwsCredentials('222222222222'),
    );
    // That record does not reach the next caller.
    await expect(provider.sdkCredentialProvider()).resolves.toEqual(
      mockAwsCredentials('222222222222'),
    );
  });

  it('resolves ARNs and the main account like the real manager', async () => {
    const main = await mock.getCredentialProvider();
    expect(main.accountId).toBe('111111111111');
    await expect(
      mock.getCredentialProvider({ arn: 'arn:aws:s3:::bucket' }),
    ).resolves.toBe(main);
    await expect(
      mock.getCredentialProvider({ accountId: '111111111111' }),
    ).resolves.toBe(main);
    const byArn = await mock.getCredentialProvider({
      arn: 'arn:aws:sqs:us-east-1:222222222222:queue',
    });
    expect(byArn.accountId).toBe('222222222222');
  });

  it('counts an empty accountId as absent, like the real manager', async () => {
    const real = realManager();
    const byArn = {
      accountId: '',
      arn: 'arn:aws:sqs:us-east-1:222222222222:queue',
    };
    expect((await mock.getCredentialProvider(byArn)).accountId).toBe(
      '222222222222',
    );
    expect((await real.getCredentialProvider(byArn)).accountId).toBe(
      '222222222222',
    );
    expect(
      (await mock.getCredentialProvider({ accountId: '' })).accountId,
    ).toBe('111111111111');
    expect(
      (await real.getCredentialProvider({ accountId: '' })).accountId,
    ).toBe('111111111111');
    expect(env.sts.calls).toHaveLength(0);
  });

  it('refuses unknown accounts with a NotFoundError', async () => {
    await expect(
      mock.getCredentialProvider({ accountId: '999999999999' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'There is no AWS integration that matches 999999999999',
      ),
    });
  });

  it.each<[string, AwsCredentialProviderOptions]>([
    ['a short account ID', { accountId: '12345' }],
    ['an account ID that is not digits', { accountId: 'abcdefghijkl' }],
    ['an account ID that is not a string', { accountId: 222222222222 as any }],
    ['an account ID that is an object', { accountId: { id: 'x' } as any }],
    ['an ARN that is not a string', { arn: 42 as any }],
    [
      'a null account ID beside a good ARN',
      {
        accountId: null as any,
        arn: 'arn:aws:sqs:us-east-1:222222222222:queue',
      },
    ],
    [
      'a zero account ID beside a good ARN',
      { accountId: 0 as any, arn: 'arn:aws:sqs:us-east-1:222222222222:queue' },
    ],
    [
      'a malformed account ID beside a good ARN',
      {
        accountId: '1234',
        arn: 'arn:aws:sqs:us-east-1:222222222222:queue',
      },
    ],
    ['something that is not an ARN', { arn: 'nope' }],
    [
      'an ARN whose account is not 12 digits',
      {
        arn: 'arn:aws:sqs:us-east-1:12345:queue',
      },
    ],
  ])('refuses %s with the real manager’s InputError', async (_case, opts) => {
    const expected = await failureOf(realManager(), opts);
    expect(expected.name).toBe('InputError');
    await expect(failureOf(mock, opts)).resolves.toEqual(expected);
    expect(env.sts.calls).toHaveLength(0);
  });

  it('says that an account ID must be a string, and how to fix it, as the real manager does', async () => {
    await expect(
      mock.getCredentialProvider({ accountId: 222222222222 as any }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Invalid AWS account ID 222222222222: an account ID must be a string, not a number; put it in quotes in YAML or JSON (accountId: '012345678901'), else a leading zero is lost",
    });
  });

  describe('.mock()', () => {
    it('has jest.fn() methods that take an implementation', async () => {
      const fake = awsCredentialsServiceMock.mock({
        getCredentialProvider: async () => ({
          accountId: '444444444444',
          sdkCredentialProvider: async () => mockAwsCredentials('444444444444'),
        }),
      });
      await expect(
        fake.getCredentialProvider({ accountId: '444444444444' }),
      ).resolves.toMatchObject({ accountId: '444444444444' });
      expect(fake.getCredentialProvider).toHaveBeenCalledWith({
        accountId: '444444444444',
      });
    });

    it('has a bare jest.fn() where no implementation is given', () => {
      // As createServiceMock makes it: a jest.fn() that returns undefined,
      // not a promise.
      const empty = awsCredentialsServiceMock.mock();
      expect(jest.isMockFunction(empty.getCredentialProvider)).toBe(true);
      expect(empty.getCredentialProvider()).toBeUndefined();
      expect(empty.getCredentialProvider).toHaveBeenCalledTimes(1);
    });

    it('has a .factory that installs this very mock in a test backend', async () => {
      const fake = awsCredentialsServiceMock.mock({
        getCredentialProvider: async () => ({
          accountId: '555555555555',
          sdkCredentialProvider: async () => mockAwsCredentials('555555555555'),
        }),
      });
      let received: AwsCredentialsManager | undefined;
      let looked: string | undefined;
      const plugin = createBackendPlugin({
        pluginId: 'uses-aws',
        register(reg) {
          reg.registerInit({
            deps: { aws: awsCredentialsServiceRef },
            async init({ aws }) {
              received = aws;
              looked = (
                await aws.getCredentialProvider({ accountId: '555555555555' })
              ).accountId;
            },
          });
        },
      });

      await startTestBackend({ features: [plugin, fake.factory] });

      expect(received).toBe(fake);
      expect(looked).toBe('555555555555');
      expect(fake.getCredentialProvider).toHaveBeenCalledWith({
        accountId: '555555555555',
      });
      expect(env.sts.calls).toHaveLength(0);
    });
  });
});
