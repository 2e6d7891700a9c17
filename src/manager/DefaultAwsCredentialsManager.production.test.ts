import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';
import {
  MAIN,
  OTHER,
  useAwsTestEnv,
  MAIN_KEYS,
} from '../__testUtils__/awsTestEnv';
import {
  settle,
  settleUntil,
  useFakeClock as fakeClock,
} from '../__testUtils__/fakeClock';

// What production meets and the happy path does not: the default chain's
// own cache, keys rotated on disk, reloads while plugins hold providers,
// STS outages during a reload, China and GovCloud, a hanging STS, and the
// inputs a plugin really passes.

const mainKeys = MAIN_KEYS;

type LoggerMock = ReturnType<typeof mockServices.logger.mock>;

function managerFor(aws: object, logger = mockServices.logger.mock()) {
  return DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }), {
    logger,
  });
}

describe('DefaultAwsCredentialsManager in production conditions', () => {
  const env = useAwsTestEnv();

  describe('refresh', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    const useFakeClock = fakeClock;

    it('asks the default chain for new credentials at a refresh, warns once when they are not newer, and never hands out ones inside the margin', async () => {
      useFakeClock();
      const expiration = new Date(Date.now() + 60_000);
      process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00001';
      process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret';
      process.env.AWS_SESSION_TOKEN = 'environment-token';
      process.env.AWS_CREDENTIAL_EXPIRATION = expiration.toISOString();
      const logger = mockServices.logger.mock();
      const manager = managerFor({}, logger);
      const main = await manager.getCredentialProvider();

      const leftAtHandOut: number[] = [];
      const take = async () => {
        const c = await main.sdkCredentialProvider();
        leftAtHandOut.push(c.expiration!.getTime() - Date.now());
      };
      await take();

      // Past the refresh point: the environment still holds the same keys,
      // so the refresh brings nothing newer.
      jest.setSystemTime(Date.now() + 31_000);
      await take();
      await settle();
      await settle();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /^Could not refresh AWS credentials for the main account; serving the current ones until .*not newer than the current ones/,
      );

      // The keys go away; refreshes keep failing, without more warnings.
      for (const key of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_CREDENTIAL_EXPIRATION',
      ]) {
        delete process.env[key];
      }
      for (let i = 0; i < 4; i++) {
        jest.setSystemTime(Date.now() + 5_000);
        await take();
        await settle();
        await settle();
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(Math.min(...leftAtHandOut)).toBeGreaterThanOrEqual(6_000);

      // Inside the margin (a tenth of the 60 s life): a clear error.
      jest.setSystemTime(expiration.getTime() - 5_000);
      await expect(main.sdkCredentialProvider()).rejects.toThrow(
        /^Could not obtain AWS credentials for the main account from the AWS SDK's default credential chain; caused by/,
      );
    });

    describe('a source switched from expiring to long-term credentials', () => {
      // Environment keys with AWS_CREDENTIAL_EXPIRATION, then without.
      const temporaryEnvironment = () => {
        process.env.AWS_ACCESS_KEY_ID = 'ASIAENVIRONMENT00001';
        process.env.AWS_SECRET_ACCESS_KEY = 'temporary-secret';
        process.env.AWS_SESSION_TOKEN = 'temporary-token';
        process.env.AWS_CREDENTIAL_EXPIRATION = new Date(
          Date.now() + 60 * 60_000,
        ).toISOString();
      };
      const longTermEnvironment = () => {
        process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00002';
        process.env.AWS_SECRET_ACCESS_KEY = 'long-term-secret';
        delete process.env.AWS_SESSION_TOKEN;
        delete process.env.AWS_CREDENTIAL_EXPIRATION;
      };
      // Profile 'dev' with role_arn, then edited to long-term keys.
      const roleProfile = () => {
        env.writeFile(
          'credentials',
          `[base]\naws_access_key_id = ${MAIN.accessKeyId}\naws_secret_access_key = ${MAIN.secretAccessKey}\n`,
        );
        env.writeFile(
          'config',
          '[profile dev]\nrole_arn = arn:aws:iam::333333333333:role/dev\nsource_profile = base\nregion = us-east-1\n',
        );
      };
      const keysProfile = () => {
        env.writeFile(
          'credentials',
          `[dev]\naws_access_key_id = ${OTHER.accessKeyId}\naws_secret_access_key = ${OTHER.secretAccessKey}\n`,
        );
        env.writeFile('config', '[profile dev]\nregion = us-east-1\n');
      };

      async function mainProvider(aws: object, logger: LoggerMock) {
        const manager = managerFor(aws, logger);
        return (await manager.getCredentialProvider()).sdkCredentialProvider;
      }

      it('serves environment keys without AWS_CREDENTIAL_EXPIRATION that a refresh finds after temporary ones', async () => {
        useFakeClock();
        const logger = mockServices.logger.mock();
        temporaryEnvironment();
        const main = await mainProvider({}, logger);
        expect((await main()).accessKeyId).toBe('ASIAENVIRONMENT00001');
        longTermEnvironment();
        jest.setSystemTime(Date.now() + 56 * 60_000); // the refresh window
        await main();
        await settleUntil(
          async () => (await main()).accessKeyId === 'AKIAENVIRONMENT00002',
        );
        const refreshed = await main();
        expect(refreshed.accessKeyId).toBe('AKIAENVIRONMENT00002');
        expect(refreshed.expiration).toBeUndefined();
        expect(logger.warn).not.toHaveBeenCalled();
      });

      it('serves environment keys without AWS_CREDENTIAL_EXPIRATION to a caller who waits after temporary ones expired', async () => {
        useFakeClock();
        const logger = mockServices.logger.mock();
        temporaryEnvironment();
        const main = await mainProvider({}, logger);
        expect((await main()).accessKeyId).toBe('ASIAENVIRONMENT00001');
        longTermEnvironment();
        jest.setSystemTime(Date.now() + 61 * 60_000);
        expect((await main()).accessKeyId).toBe('AKIAENVIRONMENT00002');
        jest.setSystemTime(Date.now() + 5 * 60_000);
        expect((await main()).accessKeyId).toBe('AKIAENVIRONMENT00002');
        expect(logger.warn).not.toHaveBeenCalled();
      });

      it('serves a profile edited from role_arn to long-term keys at the refresh', async () => {
        useFakeClock();
        const logger = mockServices.logger.mock();
        roleProfile();
        const main = await mainProvider(
          { mainAccount: { profile: 'dev' } },
          logger,
        );
        expect((await main()).accessKeyId).toMatch(/^ASIA/);
        keysProfile();
        jest.setSystemTime(Date.now() + 56 * 60_000);
        await main();
        await settleUntil(
          async () => (await main()).accessKeyId === OTHER.accessKeyId,
        );
        expect((await main()).accessKeyId).toBe(OTHER.accessKeyId);
        expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
        expect(logger.warn).not.toHaveBeenCalled();
      });

      it('serves a profile edited from role_arn to long-term keys to a caller who waits after the role session expired', async () => {
        useFakeClock();
        const logger = mockServices.logger.mock();
        roleProfile();
        const main = await mainProvider(
          { mainAccount: { profile: 'dev' } },
          logger,
        );
        expect((await main()).accessKeyId).toMatch(/^ASIA/);
        keysProfile();
        jest.setSystemTime(Date.now() + 61 * 60_000);
        expect((await main()).accessKeyId).toBe(OTHER.accessKeyId);
        expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
        expect(logger.warn).not.toHaveBeenCalled();
      });
    });

    it('reads keys without an expiration from a profile again after 10 minutes, so keys rotated on disk are used', async () => {
      useFakeClock();
      const write = (accessKeyId: string) =>
        env.writeFile(
          'credentials',
          `[dev]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = s\n`,
        );
      write('AKIABEFOREROTATION01');
      const manager = managerFor({ mainAccount: { profile: 'dev' } });
      const main = await manager.getCredentialProvider();
      expect((await main.sdkCredentialProvider()).accessKeyId).toBe(
        'AKIABEFOREROTATION01',
      );

      write('AKIAAFTERROTATION001');
      jest.setSystemTime(Date.now() + 9 * 60_000);
      expect((await main.sdkCredentialProvider()).accessKeyId).toBe(
        'AKIABEFOREROTATION01',
      );
      jest.setSystemTime(Date.now() + 2 * 60_000);
      expect((await main.sdkCredentialProvider()).accessKeyId).toBe(
        'AKIABEFOREROTATION01', // served while it reads again
      );
      await settleUntil(
        async () =>
          (await main.sdkCredentialProvider()).accessKeyId !==
          'AKIABEFOREROTATION01',
      );
      expect((await main.sdkCredentialProvider()).accessKeyId).toBe(
        'AKIAAFTERROTATION001',
      );
    });
  });

  describe('config reload', () => {
    const role = (roleName: string) => ({
      accountId: '333333333333',
      roleName,
    });

    it('makes a provider handed out before the reload fetch under the new config at its next call', async () => {
      const manager = managerFor({
        mainAccount: mainKeys,
        accounts: [role('reader')],
      });
      const held = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      await held.sdkCredentialProvider();

      manager.reconfigure(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: OTHER.accessKeyId,
              secretAccessKey: OTHER.secretAccessKey,
            },
            accounts: [role('writer')],
          },
        }),
      );
      await held.sdkCredentialProvider();

      const calls = env.sts.callsOf('AssumeRole');
      expect(calls.map(c => [c.accessKeyId, c.params.RoleArn])).toEqual([
        [MAIN.accessKeyId, 'arn:aws:iam::333333333333:role/reader'],
        [OTHER.accessKeyId, 'arn:aws:iam::333333333333:role/writer'],
      ]);
    });

    it('fails a held provider of an account the reload removed with the NotFoundError of a fresh lookup', async () => {
      const manager = managerFor({
        mainAccount: { ...mainKeys, accountId: MAIN.accountId },
        accounts: [role('reader')],
      });
      const held = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      manager.reconfigure(
        new ConfigReader({
          aws: { mainAccount: { ...mainKeys, accountId: MAIN.accountId } },
        }),
      );
      const fresh = await manager
        .getCredentialProvider({ accountId: '333333333333' })
        .catch(e => e);
      const heldError = await held.sdkCredentialProvider().catch(e => e);
      expect(fresh.name).toBe('NotFoundError');
      expect(heldError.name).toBe('NotFoundError');
      expect(heldError.message).toBe(fresh.message);
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(0);
    });

    it('does not stay stuck on a GetCallerIdentity that failed while a reload happened', async () => {
      const config = { mainAccount: mainKeys };
      const manager = managerFor(config);
      env.sts.delayMs = 200;
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied' },
        1,
        'GetCallerIdentity',
      );
      const first = manager
        .getCredentialProvider({ accountId: MAIN.accountId })
        .catch(e => e);
      await settleUntil(() => env.sts.callsOf('GetCallerIdentity').length > 0);
      // An unrelated change, while STS is being asked.
      manager.reconfigure(
        new ConfigReader({
          aws: { ...config, credentialsTimeout: { seconds: 10 } },
        }),
      );
      env.sts.delayMs = 0;

      // The lookup spanned a reload, so it started over under the new
      // config: the failure was not kept, and STS was asked again.
      expect(await first).toMatchObject({ accountId: MAIN.accountId });
      expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(2);
      const main = await manager.getCredentialProvider({
        accountId: MAIN.accountId,
      });
      expect(main.accountId).toBe(MAIN.accountId);
      expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(2);
    });
  });

  describe('GetCallerIdentity', () => {
    it('signs for the region the SDK resolves when mainAccount.region is not set', async () => {
      process.env.AWS_REGION = 'cn-north-1';
      const manager = managerFor({ mainAccount: mainKeys });
      await manager.getCredentialProvider({ accountId: MAIN.accountId });
      expect(env.sts.callsOf('GetCallerIdentity')[0].region).toBe('cn-north-1');
    });

    it('signs for mainAccount.region when it is set', async () => {
      process.env.AWS_REGION = 'eu-west-1';
      const manager = managerFor({
        mainAccount: { ...mainKeys, region: 'us-gov-west-1' },
      });
      await manager.getCredentialProvider({ accountId: MAIN.accountId });
      expect(env.sts.callsOf('GetCallerIdentity')[0].region).toBe(
        'us-gov-west-1',
      );
    });

    it('signs for us-east-1 when neither is set', async () => {
      const manager = managerFor({ mainAccount: mainKeys });
      await manager.getCredentialProvider({ accountId: MAIN.accountId });
      expect(env.sts.callsOf('GetCallerIdentity')[0].region).toBe('us-east-1');
    });
  });

  describe('timeouts', () => {
    // Network-bound: STS hangs for real, so these wait in real time, with a
    // short configured timeout and an explicit budget.
    jest.setTimeout(15_000);

    it('aborts the AssumeRole in flight and starts no retry after the TimeoutError', async () => {
      env.sts.injectFault('hang', Infinity, 'AssumeRole');
      const manager = managerFor({
        mainAccount: mainKeys,
        accounts: [{ accountId: '333333333333', roleName: 'reader' }],
        credentialsTimeout: '300ms',
      });
      const provider = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      await expect(provider.sdkCredentialProvider()).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      // The SDK would retry twice more, each allowed the whole budget.
      await new Promise(r => setTimeout(r, 1_500));
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
    });

    it('bounds GetCallerIdentity by the same timeout', async () => {
      env.sts.injectFault('hang', Infinity, 'GetCallerIdentity');
      const manager = managerFor({
        mainAccount: mainKeys,
        credentialsTimeout: '300ms',
      });
      const started = Date.now();
      const error = await manager
        .getCredentialProvider({ accountId: '444444444444' })
        .catch(e => e);
      expect(error.name).toBe('TimeoutError');
      expect(error.message).toMatch(/GetCallerIdentity/);
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise(r => setTimeout(r, 1_000));
      expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(1);
    });
  });

  describe('lookups as plugins make them', () => {
    const config = {
      mainAccount: mainKeys,
      accounts: [{ accountId: '333333333333', roleName: 'reader' }],
    };

    it('answers every bad argument with a rejected promise, never a throw', async () => {
      const manager = managerFor(config);
      for (const bad of [
        { accountId: 42 },
        { arn: 42 },
        { accountId: '12345' },
        { arn: 'not-an-arn' },
      ]) {
        let result: Promise<unknown> | undefined;
        expect(() => {
          result = manager.getCredentialProvider(bad as any);
        }).not.toThrow();
        await expect(result).rejects.toMatchObject({ name: 'InputError' });
      }
      let nullResult: Promise<unknown> | undefined;
      expect(() => {
        nullResult = manager.getCredentialProvider(null as any);
      }).not.toThrow();
      await expect(nullResult).resolves.toBe(
        await manager.getCredentialProvider(),
      );
    });

    it('refuses an account ID or ARN that is not a string with an InputError that says so and how to fix it, even for an ID looked up before', async () => {
      const manager = managerFor(config);
      // Both warm: an ID and an ARN looked up before.
      const arn = 'arn:aws:sqs:us-east-1:333333333333:queue';
      await manager.getCredentialProvider({ accountId: '333333333333' });
      await manager.getCredentialProvider({ arn });
      const refusal = async (opts: unknown) => {
        let result: Promise<unknown> | undefined;
        expect(() => {
          result = manager.getCredentialProvider(opts as any);
        }).not.toThrow();
        const error = await result!.then(
          () => new Error(`${JSON.stringify(opts)} was served`),
          e => e,
        );
        return { name: error.name, message: error.message };
      };
      const quote =
        "put it in quotes in YAML or JSON (accountId: '012345678901'), else a leading zero is lost";
      expect(await refusal({ accountId: 333333333333 })).toEqual({
        name: 'InputError',
        message: `Invalid AWS account ID 333333333333: an account ID must be a string, not a number; ${quote}`,
      });
      expect(await refusal({ accountId: { id: '333333333333' } })).toEqual({
        name: 'InputError',
        message:
          "Invalid AWS account ID: an account ID must be a string, not an object; pass the 12-digit ID as a string (accountId: '012345678901')",
      });
      expect(await refusal({ accountId: 333333333333, arn })).toMatchObject({
        name: 'InputError',
      });
      expect(await refusal({ arn: 42 })).toEqual({
        name: 'InputError',
        message:
          "Invalid ARN 42: an ARN must be a string, not a number; pass it as a string (arn: 'arn:aws:sqs:us-east-1:012345678901:my-queue')",
      });
      expect(
        await refusal({ arn: ['arn:aws:sqs:us-east-1:333333333333:queue'] }),
      ).toEqual({
        name: 'InputError',
        message:
          "Invalid ARN: an ARN must be a string, not a list; pass it as a string (arn: 'arn:aws:sqs:us-east-1:012345678901:my-queue')",
      });
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(0);
    });

    it("gives the main account's provider its account ID when looked up by it, as the original does", async () => {
      const manager = managerFor({ mainAccount: mainKeys });
      const main = await manager.getCredentialProvider();
      expect(main.accountId).toBeUndefined();
      const byId = await manager.getCredentialProvider({
        accountId: MAIN.accountId,
      });
      expect(byId.accountId).toBe(MAIN.accountId);
      expect(main.accountId).toBe(MAIN.accountId);
    });

    it("treats an empty accountId as absent and resolves the ARN's account", async () => {
      const manager = managerFor(config);
      const provider = await manager.getCredentialProvider({
        accountId: '',
        arn: 'arn:aws:sqs:us-east-1:333333333333:queue',
      });
      expect(provider.accountId).toBe('333333333333');
    });

    it("names an unknown account with the original's phrase", async () => {
      const manager = managerFor({
        ...config,
        mainAccount: { ...mainKeys, accountId: MAIN.accountId },
      });
      await expect(
        manager.getCredentialProvider({ accountId: '888888888888' }),
      ).rejects.toThrow(
        /^There is no AWS integration that matches 888888888888\. /,
      );
    });

    it('fails the credentials of a role in a partition this SDK does not know until its region is set, and warns at start-up', async () => {
      const logger = mockServices.logger.mock();
      const manager = managerFor(
        {
          mainAccount: mainKeys,
          accounts: [
            { accountId: '333333333333', roleName: 'r', partition: 'aws-moon' },
          ],
        },
        logger,
      );
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^aws\.accounts\[0\]\.partition 'aws-moon' is not a partition this AWS SDK knows; set aws\.accounts\[0\]\.region/,
        ),
        { path: 'aws.accounts[0].partition' },
      );
      const provider = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      await expect(provider.sdkCredentialProvider()).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^Could not obtain AWS credentials for account 333333333333 .*set aws\.accounts\[0\]\.region/,
        ),
      });
      expect(env.sts.calls).toHaveLength(0);
    });
  });

  describe('credentials as a static identity', () => {
    it('can be given to SDK clients as an object, without one client changing what others get', async () => {
      const manager = managerFor(config());
      const provider = await manager.getCredentialProvider({
        accountId: '333333333333',
      });
      const s3 = new S3Client({
        region: 'us-east-1',
        credentials: await provider.sdkCredentialProvider(),
      });
      await expect(s3.config.credentials()).resolves.toMatchObject({
        accessKeyId: expect.stringMatching(/^ASIA/),
      });
      const sts = new STSClient({
        region: 'us-east-1',
        credentials: await provider.sdkCredentialProvider(),
      });
      const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
      expect(Arn).toBe(
        'arn:aws:sts::333333333333:assumed-role/reader/backstage',
      );
      const fresh = await provider.sdkCredentialProvider();
      expect(fresh).not.toHaveProperty('$source');
      s3.destroy();
      sts.destroy();

      function config() {
        return {
          mainAccount: mainKeys,
          accounts: [{ accountId: '333333333333', roleName: 'reader' }],
        };
      }
    });
  });
});
