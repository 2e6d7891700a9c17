import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';
import {
  MAIN,
  OTHER,
  useAwsTestEnv,
  MAIN_KEYS,
} from '../__testUtils__/awsTestEnv';
import { useFakeClock } from '../__testUtils__/fakeClock';

function managerFor(aws: object) {
  return DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }));
}

const mainKeys = MAIN_KEYS;

describe('DefaultAwsCredentialsManager', () => {
  const env = useAwsTestEnv();

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('#getCredentialProvider for a role', () => {
    it('assumes the role with the main account credentials', async () => {
      const manager = managerFor({
        mainAccount: mainKeys,
        accounts: [
          {
            accountId: '333333333333',
            roleName: 'reader',
            externalId: 'ext-1',
          },
        ],
      });
      const provider = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      expect(provider).toMatchObject({
        accountId: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/reader',
        stsRegion: 'us-east-1',
      });
      const credentials = await provider.sdkCredentialProvider();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now());

      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
      expect(call.region).toBe('us-east-1');
      expect(call.params).toMatchObject({
        RoleArn: 'arn:aws:iam::333333333333:role/reader',
        RoleSessionName: 'backstage',
        ExternalId: 'ext-1',
      });
    });

    it("signs the AssumeRole with the account's own keys when it has them", async () => {
      const manager = managerFor({
        mainAccount: mainKeys,
        accounts: [
          {
            accountId: OTHER.accountId,
            roleName: 'deployer',
            accessKeyId: OTHER.accessKeyId,
            secretAccessKey: OTHER.secretAccessKey,
            region: 'eu-west-1',
          },
        ],
      });
      const provider = await manager.getCredentialProvider({
        accountId: OTHER.accountId,
      });
      await provider.sdkCredentialProvider();
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.accessKeyId).toBe(OTHER.accessKeyId);
      expect(call.region).toBe('eu-west-1');
      expect(call.params.ExternalId).toBeUndefined();
      expect(provider.stsRegion).toBe('eu-west-1');
    });

    it.each([
      ['aws', 'us-east-1'],
      ['aws-cn', 'cn-north-1'],
      ['aws-us-gov', 'us-gov-west-1'],
      ['aws-iso', 'us-iso-east-1'],
      ['aws-iso-b', 'us-isob-east-1'],
      ['aws-eusc', 'eusc-de-east-1'],
    ])(
      'uses the STS region of partition %s (%s)',
      async (partition, region) => {
        const manager = managerFor({
          mainAccount: mainKeys,
          accounts: [{ accountId: '333333333333', roleName: 'r', partition }],
        });
        const provider = await manager.getCredentialProvider({
          accountId: '333333333333',
        });
        await provider.sdkCredentialProvider();
        const [call] = env.sts.callsOf('AssumeRole');
        expect(call.region).toBe(region);
        expect(call.params.RoleArn).toBe(
          `arn:${partition}:iam::333333333333:role/r`,
        );
        expect(provider.stsRegion).toBe(region);
      },
    );

    it('assumes a web identity role, reading the token file again at each refresh', async () => {
      const clock = useFakeClock();
      const tokenFile = env.writeFile('token', 'first-token');
      const manager = managerFor({
        accounts: [
          {
            accountId: '444444444444',
            roleName: 'web',
            webIdentityTokenFile: tokenFile,
          },
        ],
      });
      const provider = await manager.getCredentialProvider({
        accountId: '444444444444',
      });
      const first = await provider.sdkCredentialProvider();
      env.writeFile('token', 'second-token');
      clock.advance(3600_000); // past the one-hour life
      const second = await provider.sdkCredentialProvider();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);

      const calls = env.sts.callsOf('AssumeRoleWithWebIdentity');
      expect(calls.map(c => c.params.WebIdentityToken)).toEqual([
        'first-token',
        'second-token',
      ]);
      expect(calls[0].params).toMatchObject({
        RoleArn: 'arn:aws:iam::444444444444:role/web',
        RoleSessionName: 'backstage',
      });
    });
  });

  describe('#getCredentialProvider for keys, profiles and the default chain', () => {
    it('returns static keys as they are, with no STS call', async () => {
      const manager = managerFor({
        accounts: [
          {
            accountId: OTHER.accountId,
            ...{
              accessKeyId: OTHER.accessKeyId,
              secretAccessKey: OTHER.secretAccessKey,
            },
          },
        ],
      });
      const provider = await manager.getCredentialProvider({
        accountId: OTHER.accountId,
      });
      await expect(provider.sdkCredentialProvider()).resolves.toEqual({
        accessKeyId: OTHER.accessKeyId,
        secretAccessKey: OTHER.secretAccessKey,
      });
      expect(env.sts.calls).toHaveLength(0);
    });

    it('reads a profile from the shared credentials file', async () => {
      env.writeFile(
        'credentials',
        `[team]\naws_access_key_id = ${OTHER.accessKeyId}\naws_secret_access_key = ${OTHER.secretAccessKey}\n`,
      );
      const manager = managerFor({
        accounts: [{ accountId: OTHER.accountId, profile: 'team' }],
      });
      const provider = await manager.getCredentialProvider({
        accountId: OTHER.accountId,
      });
      await expect(provider.sdkCredentialProvider()).resolves.toMatchObject({
        accessKeyId: OTHER.accessKeyId,
        secretAccessKey: OTHER.secretAccessKey,
      });
    });

    it('reads the main account profile, which may itself assume a role', async () => {
      env.writeFile(
        'credentials',
        `[base]\naws_access_key_id = ${MAIN.accessKeyId}\naws_secret_access_key = ${MAIN.secretAccessKey}\n`,
      );
      env.writeFile(
        'config',
        `[profile ops]\nrole_arn = arn:aws:iam::555555555555:role/ops\nsource_profile = base\n`,
      );
      const manager = managerFor({
        mainAccount: { profile: 'ops', region: 'eu-central-1' },
      });
      const provider = await manager.getCredentialProvider();
      const credentials = await provider.sdkCredentialProvider();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
      expect(call.params.RoleArn).toBe('arn:aws:iam::555555555555:role/ops');
      expect(provider.stsRegion).toBe('eu-central-1');
    });

    it('uses the default chain, which reads environment variables', async () => {
      process.env.AWS_ACCESS_KEY_ID = MAIN.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = MAIN.secretAccessKey;
      const manager = managerFor({});
      const provider = await manager.getCredentialProvider();
      await expect(provider.sdkCredentialProvider()).resolves.toMatchObject({
        accessKeyId: MAIN.accessKeyId,
        secretAccessKey: MAIN.secretAccessKey,
      });
    });

    it('uses the main account static keys', async () => {
      const manager = managerFor({ mainAccount: mainKeys });
      const provider = await manager.getCredentialProvider();
      await expect(provider.sdkCredentialProvider()).resolves.toEqual(mainKeys);
    });
  });

  describe('#getCredentialProvider lookup rules', () => {
    const config = {
      mainAccount: mainKeys,
      accounts: [{ accountId: '333333333333', roleName: 'declared' }],
    };

    it('returns the main account without options or with an ARN that names no account', async () => {
      const manager = managerFor(config);
      const main = await manager.getCredentialProvider();
      expect(await manager.getCredentialProvider({})).toBe(main);
      expect(
        await manager.getCredentialProvider({ arn: 'arn:aws:s3:::my-bucket' }),
      ).toBe(main);
      expect(env.sts.calls).toHaveLength(0);
    });

    it('returns the same provider object for a configured account every time', async () => {
      const manager = managerFor(config);
      const a = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      const b = await manager.getCredentialProvider({
        arn: 'arn:aws:sqs:eu-west-1:333333333333:queue',
      });
      expect(b).toBe(a);
    });

    it('lets accountId win over arn', async () => {
      const manager = managerFor({
        ...config,
        accountDefaults: { roleName: 'fallback' },
      });
      const provider = await manager.getCredentialProvider({
        accountId: '333333333333',
        arn: 'arn:aws:sqs:eu-west-1:666666666666:queue',
      });
      expect(provider.accountId).toBe('333333333333');
    });

    it('builds a role provider from accountDefaults once and keeps it', async () => {
      const manager = managerFor({
        mainAccount: mainKeys,
        accountDefaults: {
          roleName: 'backstage-reader',
          externalId: 'shared-ext',
          partition: 'aws-us-gov',
        },
      });
      const a = await manager.getCredentialProvider({
        arn: 'arn:aws-us-gov:sqs:us-gov-east-1:777777777777:queue',
      });
      const b = await manager.getCredentialProvider({
        accountId: '777777777777',
      });
      expect(b).toBe(a);
      expect(a).toMatchObject({
        accountId: '777777777777',
        roleArn: 'arn:aws-us-gov:iam::777777777777:role/backstage-reader',
        stsRegion: 'us-gov-west-1',
      });
      await a.sdkCredentialProvider();
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call).toMatchObject({
        accessKeyId: MAIN.accessKeyId,
        region: 'us-gov-west-1',
      });
      expect(call.params.ExternalId).toBe('shared-ext');
    });

    it("recognises the main account's own ID through one GetCallerIdentity", async () => {
      const manager = managerFor(config);
      const main = await manager.getCredentialProvider();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          manager.getCredentialProvider({ accountId: MAIN.accountId }),
        ),
      );
      // One provider for the ID, served by the main account's keys; not
      // the main account's own object, which a reload may part from it.
      expect(results.every(r => r === results[0])).toBe(true);
      expect(results[0]).not.toBe(main);
      expect(results[0].accountId).toBe(MAIN.accountId);
      expect((await results[0].sdkCredentialProvider()).accessKeyId).toBe(
        MAIN.accessKeyId,
      );
      await manager.getCredentialProvider({ accountId: MAIN.accountId });
      const calls = env.sts.callsOf('GetCallerIdentity');
      expect(calls).toHaveLength(1);
      expect(calls[0].accessKeyId).toBe(MAIN.accessKeyId);
    });

    it('matches the configured mainAccount.accountId without any STS call', async () => {
      const manager = managerFor({
        mainAccount: { ...mainKeys, accountId: MAIN.accountId },
      });
      const main = await manager.getCredentialProvider();
      expect(main.accountId).toBe(MAIN.accountId);
      await expect(
        manager.getCredentialProvider({ accountId: MAIN.accountId }),
      ).resolves.toMatchObject({ accountId: MAIN.accountId });
      expect(env.sts.calls).toHaveLength(0);
    });

    it('refuses an unknown account with a NotFoundError that says how to add it', async () => {
      const manager = managerFor(config);
      const error = await manager
        .getCredentialProvider({ accountId: '888888888888' })
        .catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toMatch(/888888888888/);
      expect(error.message).toMatch(/aws\.accounts/);
      expect(error.message).toMatch(/aws\.accountDefaults\.roleName/);
    });

    it('refuses a malformed ARN with an InputError naming it', async () => {
      const manager = managerFor(config);
      await expect(
        manager.getCredentialProvider({ arn: 'not-an-arn' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining("'not-an-arn'"),
      });
      await expect(
        manager.getCredentialProvider({ arn: 'arn:aws:sqs:us-east-1:12ab:q' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/12ab.*12 digits/),
      });
    });

    it('refuses an account ID that is not 12 digits', async () => {
      const manager = managerFor(config);
      await expect(
        manager.getCredentialProvider({ accountId: '12345' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/'12345'.*12 digits/),
      });
    });
  });

  describe('sdkCredentialProvider with AWS SDK clients', () => {
    it.each([
      ['credentials', (p: any) => ({ credentials: p })],
      [
        'credentialDefaultProvider',
        (p: any) => ({ credentialDefaultProvider: () => p }),
      ],
    ])(
      'costs one AssumeRole for many %s clients and calls',
      async (_style, clientOptions) => {
        const manager = managerFor({
          mainAccount: mainKeys,
          accounts: [{ accountId: '333333333333', roleName: 'r' }],
        });
        for (let i = 0; i < 5; i++) {
          const { sdkCredentialProvider } = await manager.getCredentialProvider(
            {
              accountId: '333333333333',
            },
          );
          const client = new STSClient({
            region: 'us-east-1',
            ...clientOptions(sdkCredentialProvider),
          });
          for (let j = 0; j < 3; j++) {
            const identity = await client.send(
              new GetCallerIdentityCommand({}),
            );
            expect(identity.Account).toBe('333333333333');
          }
        }
        expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
        expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(15);
      },
    );
  });
});
