import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';
import { MAIN_KEYS, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { settleUntil, useFakeClock } from '../__testUtils__/fakeClock';

const mainAccount = MAIN_KEYS;
const ROLE_ACCOUNT = '333333333333';
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/reader`;

function managerFor(aws: object, logger = mockServices.logger.mock()) {
  return DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }), {
    logger,
  });
}

async function roleProvider(
  aws: object = {},
  logger = mockServices.logger.mock(),
) {
  const manager = managerFor(
    {
      mainAccount,
      accounts: [{ accountId: ROLE_ACCOUNT, roleName: 'reader' }],
      ...aws,
    },
    logger,
  );
  return manager.getCredentialProvider({ accountId: ROLE_ACCOUNT });
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

describe('DefaultAwsCredentialsManager under STS faults', () => {
  const env = useAwsTestEnv();

  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([
    [{ status: 400, code: 'Throttling', message: 'Rate exceeded' }],
    [{ status: 500, code: 'InternalFailure' }],
    [{ status: 503, code: 'ServiceUnavailable' }],
  ])('retries %o with backoff and succeeds when STS recovers', async fault => {
    env.sts.injectFault(fault, 2, 'AssumeRole');
    const provider = await roleProvider();
    const credentials = await provider.sdkCredentialProvider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(3);
  });

  it('wraps an STS refusal with the account, role, region, endpoint and error code', async () => {
    env.sts.injectFault(
      {
        status: 403,
        code: 'AccessDenied',
        message: 'not authorized to assume',
      },
      1,
      'AssumeRole',
    );
    const provider = await roleProvider();
    const error = await provider.sdkCredentialProvider().catch(e => e);
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain(`account ${ROLE_ACCOUNT}`);
    expect(error.message).toContain(ROLE_ARN);
    expect(error.message).toContain(`STS in us-east-1 at ${env.sts.url}`);
    expect(error.message).toContain('AccessDenied: not authorized to assume');
    expect(error.cause.name).toBe('AccessDenied');
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1); // not retried
  });

  it('names ExpiredTokenException when STS refuses the signing credentials', async () => {
    env.sts.injectFault(
      { status: 400, code: 'ExpiredTokenException', message: 'token expired' },
      1,
      'AssumeRole',
    );
    const provider = await roleProvider();
    await expect(provider.sdkCredentialProvider()).rejects.toMatchObject({
      name: 'ExpiredTokenException',
    });
  });

  it('fails within the configured bound when STS never answers', async () => {
    env.sts.injectFault('hang', Infinity);
    const provider = await roleProvider({ credentialsTimeout: '300ms' });
    const started = Date.now();
    const error = await provider.sdkCredentialProvider().catch(e => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toMatch(
      new RegExp(`account ${ROLE_ACCOUNT}.*no answer within 300 ms`),
    );
  });

  it('fails quickly when the STS endpoint refuses connections', async () => {
    process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${await closedPort()}`;
    const provider = await roleProvider({ credentialsTimeout: '5s' });
    const started = Date.now();
    const error = await provider.sdkCredentialProvider().catch(e => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(
      /Could not obtain AWS credentials for account 333333333333/,
    );
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  describe('expiry and refresh', () => {
    it('serves valid credentials while STS fails, warns once, and refreshes once STS is back', async () => {
      const clock = useFakeClock();
      const logger = mockServices.logger.mock();
      const provider = await roleProvider({}, logger);
      const first = await provider.sdkCredentialProvider();

      env.sts.injectFault(
        { status: 403, code: 'AccessDenied' },
        Infinity,
        'AssumeRole',
      );
      // An hour's life: refreshes start 5 minutes before expiry.
      clock.advance(56 * 60_000);
      for (let i = 0; i < 3; i++) {
        expect(await provider.sdkCredentialProvider()).toEqual(first);
        await settleUntil(() => logger.warn.mock.calls.length > 0);
        clock.advance(6_000);
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /Could not refresh AWS credentials for account 333333333333; serving the current ones until/,
      );

      // Past the end of their life the old credentials are never handed out.
      clock.set(first.expiration!.getTime());
      await expect(provider.sdkCredentialProvider()).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining(ROLE_ARN),
      });

      env.sts.clearFaults();
      const next = await provider.sdkCredentialProvider();
      expect(next.accessKeyId).not.toBe(first.accessKeyId);
      expect(next.expiration!.getTime()).toBeGreaterThan(Date.now());
    });

    it('names a web identity token file that vanished', async () => {
      const tokenFile = env.writeFile('token', 'a-token');
      const manager = managerFor({
        accounts: [
          {
            accountId: '444444444444',
            roleName: 'web',
            webIdentityTokenFile: tokenFile,
          },
        ],
      });
      rmSync(tokenFile);
      const provider = await manager.getCredentialProvider({
        accountId: '444444444444',
      });
      await expect(provider.sdkCredentialProvider()).rejects.toThrow(
        new RegExp(`web identity token in ${tokenFile}.*ENOENT`),
      );
    });

    it('warns at start-up about a token file that does not exist yet', () => {
      const logger = mockServices.logger.mock();
      managerFor(
        {
          accountDefaults: {
            roleName: 'web',
            webIdentityTokenFile: '/var/run/secrets/missing-token',
          },
        },
        logger,
      );
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /aws\.accountDefaults\.webIdentityTokenFile \/var\/run\/secrets\/missing-token does not exist yet/,
        ),
        expect.anything(),
      );
    });
  });

  it('answers 1,000 concurrent lookups over 100 accounts while STS is slow and throttling', async () => {
    env.sts.delayMs = 20;
    env.sts.injectFault({ status: 400, code: 'Throttling' }, 60, 'AssumeRole');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const manager = managerFor({
        mainAccount,
        accountDefaults: { roleName: 'reader' },
        credentialsTimeout: '20s',
      });
      const accounts = Array.from(
        { length: 100 },
        (_, i) => `${500000000000 + i}`,
      );
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, async (_, i) => {
          const accountId = accounts[i % accounts.length];
          try {
            const provider = await manager.getCredentialProvider({ accountId });
            const credentials = await provider.sdkCredentialProvider();
            return credentials.accessKeyId.startsWith('ASIA') ? 'ok' : 'bad';
          } catch (error: any) {
            return error.message.startsWith(
              `Could not obtain AWS credentials for account ${accountId}`,
            )
              ? 'wrapped error'
              : `unexpected: ${error}`;
          }
        }),
      );
      expect(outcomes.filter(o => o !== 'ok' && o !== 'wrapped error')).toEqual(
        [],
      );
      expect(outcomes.filter(o => o === 'ok').length).toBeGreaterThan(900);
      // One AssumeRole per account, plus the throttled attempts that were retried.
      const assumed = env.sts.callsOf('AssumeRole').length;
      expect(assumed).toBeLessThanOrEqual(100 + 60);
      expect(assumed).toBeGreaterThanOrEqual(100);
      await new Promise(r => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
