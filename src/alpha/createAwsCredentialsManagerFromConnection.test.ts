import { connectionsServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import type { ConnectionsService } from '@backstage/connections';
import { useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { createAwsCredentialsManagerFromConnection } from '../alpha';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';

// The main account of the original package's tests, as the loopback STS
// knows it: GetCallerIdentity with these keys answers 123456789012.
const MAIN_ACCOUNT_ID = '123456789012';
const MAIN_KEYS = {
  accessKeyId: 'AKIACONNECTIONSMAIN1',
  secretAccessKey: 'connections-main-secret-000000000000000',
};
const STATIC_KEYS = {
  accessKeyId: 'AKIACONNECTIONSSTAT3',
  secretAccessKey: 'connections-static-secret-0000000000000',
};

const MAIN_ENTRY = { method: 'account', mainAccount: true, ...MAIN_KEYS };

/**
 * A plugin's connections service, from the framework's own factory and
 * config reading, over `connections` (none when undefined).
 */
async function connectionsOf(
  connection: JsonObject | undefined,
  pluginId = 'catalog',
): Promise<ConnectionsService> {
  return ServiceFactoryTester.from(connectionsServiceFactory, {
    dependencies: [
      mockServices.rootConfig.factory({
        data: connection
          ? { connections: [{ type: 'aws', ...connection }] }
          : {},
      }),
    ],
  }).getSubject(pluginId);
}

/** Counts the service's `find` calls. */
function counting(connections: ConnectionsService) {
  const counted = {
    calls: [] as unknown[],
    service: {
      find: ((options: { query: unknown }) => {
        counted.calls.push(options.query);
        return connections.find(options as any);
      }) as ConnectionsService['find'],
    },
  };
  return counted;
}

describe('createAwsCredentialsManagerFromConnection', () => {
  const env = useAwsTestEnv();

  beforeEach(() => {
    env.sts.addUser(MAIN_KEYS.accessKeyId, MAIN_KEYS.secretAccessKey, {
      account: MAIN_ACCOUNT_ID,
      arn: `arn:aws:iam::${MAIN_ACCOUNT_ID}:user/backstage`,
    });
  });

  // The cases of the original package's own tests of
  // DefaultAwsCredentialsManager.experimentalFromConnections, against the
  // framework's real connections service and the loopback STS.
  describe("the original package's cases", () => {
    it('resolves entries matched by account ID or ARN exactly as written, with caching', async () => {
      const manager = DefaultAwsCredentialsManager.experimentalFromConnections(
        await connectionsOf({
          auth: [
            {
              method: 'account',
              accountId: '111111111111',
              roleName: 'hello',
              externalId: 'world',
            },
            { method: 'account', accountId: '333333333333', ...STATIC_KEYS },
            MAIN_ENTRY,
          ],
        }),
      );

      const assumed = await manager.getCredentialProvider({
        accountId: '111111111111',
      });
      expect(assumed.accountId).toBe('111111111111');
      expect(await assumed.sdkCredentialProvider()).toMatchObject({
        accessKeyId: expect.stringMatching(/^ASIA/),
        sessionToken: expect.any(String),
      });
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.params).toMatchObject({
        RoleArn: 'arn:aws:iam::111111111111:role/hello',
        RoleSessionName: 'backstage',
        ExternalId: 'world',
      });
      expect(call.accessKeyId).toBe(MAIN_KEYS.accessKeyId);

      const byArn = await manager.getCredentialProvider({
        arn: 'arn:aws:iam::333333333333:role/some-role',
      });
      expect(byArn.accountId).toBe('333333333333');
      expect(await byArn.sdkCredentialProvider()).toEqual(STATIC_KEYS);

      const cached = await manager.getCredentialProvider({
        accountId: '111111111111',
      });
      expect(cached).toBe(assumed);
    });

    it('assumes the connection-level role for accounts without an entry, using main account credentials', async () => {
      const manager = DefaultAwsCredentialsManager.experimentalFromConnections(
        await connectionsOf({
          roleName: 'backstage-role',
          externalId: 'my-id',
          auth: [MAIN_ENTRY],
        }),
      );

      const provider = await manager.getCredentialProvider({
        accountId: '999999999999',
      });
      expect(provider.accountId).toBe('999999999999');
      expect(provider.roleArn).toBe(
        'arn:aws:iam::999999999999:role/backstage-role',
      );
      await expect(provider.sdkCredentialProvider()).resolves.toMatchObject({
        accessKeyId: expect.stringMatching(/^ASIA/),
      });
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.params.RoleArn).toBe(
        'arn:aws:iam::999999999999:role/backstage-role',
      );
      expect(call.params.ExternalId).toBe('my-id');
      expect(call.accessKeyId).toBe(MAIN_KEYS.accessKeyId);
    });

    it('only hands out main account credentials for the main account itself', async () => {
      const manager = DefaultAwsCredentialsManager.experimentalFromConnections(
        await connectionsOf({ auth: [MAIN_ENTRY] }),
      );

      const main = await manager.getCredentialProvider({
        accountId: MAIN_ACCOUNT_ID,
      });
      expect(main.accountId).toBe(MAIN_ACCOUNT_ID);
      expect(await main.sdkCredentialProvider()).toEqual(MAIN_KEYS);

      await expect(
        manager.getCredentialProvider({ accountId: '999999999999' }),
      ).rejects.toThrow(
        'There is no AWS integration that matches 999999999999',
      );
      await expect(
        manager.getCredentialProvider({ accountId: '999999999999' }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('uses the main entry for empty lookups and the default chain when nothing is configured', async () => {
      const manager = DefaultAwsCredentialsManager.experimentalFromConnections(
        await connectionsOf({ auth: [MAIN_ENTRY] }),
      );
      const noOpts = await manager.getCredentialProvider();
      expect(await noOpts.sdkCredentialProvider()).toEqual(MAIN_KEYS);
      // ARNs without an account segment fall back to the main account too
      const s3 = await manager.getCredentialProvider({
        arn: 'arn:aws:s3:::my-bucket',
      });
      expect(await s3.sdkCredentialProvider()).toEqual(MAIN_KEYS);

      process.env.AWS_ACCESS_KEY_ID = 'AKIAFROMENVIRONMENT1';
      process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret';
      process.env.AWS_SESSION_TOKEN = 'environment-session-token';
      process.env.AWS_CREDENTIAL_EXPIRATION = '2099-01-10T00:00:00.000Z';
      const unconfigured =
        DefaultAwsCredentialsManager.experimentalFromConnections(
          await connectionsOf(undefined),
        );
      const chain = await unconfigured.getCredentialProvider();
      expect(await chain.sdkCredentialProvider()).toMatchObject({
        accessKeyId: 'AKIAFROMENVIRONMENT1',
        secretAccessKey: 'environment-secret',
        sessionToken: 'environment-session-token',
        expiration: new Date('2099-01-10T00:00:00.000Z'),
      });
    });
  });

  it('is what the alpha entry exports, as @backstage/integration-aws-node/alpha does', async () => {
    const manager = createAwsCredentialsManagerFromConnection(
      await connectionsOf({ auth: [MAIN_ENTRY] }),
    );
    expect(manager).toBeInstanceOf(DefaultAwsCredentialsManager);
    const main = await manager.getCredentialProvider();
    expect(await main.sdkCredentialProvider()).toEqual(MAIN_KEYS);
    expect(() =>
      (manager as DefaultAwsCredentialsManager).reconfigure(
        mockServices.rootConfig(),
      ),
    ).toThrow(/answers from that service; it has no config to replace/);
  });

  it('asks find once per account it serves, and shares one AssumeRole among concurrent callers', async () => {
    const found = counting(
      await connectionsOf({ roleName: 'backstage-role', auth: [MAIN_ENTRY] }),
    );
    const manager = createAwsCredentialsManagerFromConnection(found.service);
    const lookups = Array.from({ length: 20 }, (_, i) =>
      manager.getCredentialProvider({
        accountId: i % 2 ? '444444444444' : '555555555555',
      }),
    );
    const providers = await Promise.all(lookups);
    await Promise.all(providers.map(p => p.sdkCredentialProvider()));
    await manager.getCredentialProvider({ accountId: '444444444444' });
    await manager.getCredentialProvider();

    expect(found.calls).toEqual([
      {},
      { accountId: '555555555555' },
      { accountId: '444444444444' },
    ]);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(2);
  });

  it("applies the connection-level role to the main account's own ID too, as the original does", async () => {
    const manager = createAwsCredentialsManagerFromConnection(
      await connectionsOf({ roleName: 'backstage-role', auth: [MAIN_ENTRY] }),
    );
    const provider = await manager.getCredentialProvider({
      accountId: MAIN_ACCOUNT_ID,
    });
    expect(provider.roleArn).toBe(
      `arn:aws:iam::${MAIN_ACCOUNT_ID}:role/backstage-role`,
    );
    expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(0);
  });

  it('gives an entry with match.plugins to the plugins it names only, as the framework decides', async () => {
    const connection = {
      roleName: 'backstage-role',
      auth: [
        MAIN_ENTRY,
        {
          method: 'account',
          accountId: '444444444444',
          roleName: 'deploy',
          match: { plugins: ['scaffolder'] },
        },
      ],
    };
    const scaffolder = createAwsCredentialsManagerFromConnection(
      await connectionsOf(connection, 'scaffolder'),
    );
    const catalog = createAwsCredentialsManagerFromConnection(
      await connectionsOf(connection, 'catalog'),
    );
    const lookup = { accountId: '444444444444' };
    expect((await scaffolder.getCredentialProvider(lookup)).roleArn).toBe(
      'arn:aws:iam::444444444444:role/deploy',
    );
    expect((await catalog.getCredentialProvider(lookup)).roleArn).toBe(
      'arn:aws:iam::444444444444:role/backstage-role',
    );
  });

  it('asks STS for the main account ID once, not at all when the mainAccount entry has it', async () => {
    const learning = createAwsCredentialsManagerFromConnection(
      await connectionsOf({ auth: [MAIN_ENTRY] }),
    );
    await learning.getCredentialProvider({ accountId: MAIN_ACCOUNT_ID });
    await expect(
      learning.getCredentialProvider({ accountId: '999999999999' }),
    ).rejects.toThrow(/matches 999999999999/);
    expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(1);

    const knowing = createAwsCredentialsManagerFromConnection(
      await connectionsOf({
        auth: [{ ...MAIN_ENTRY, accountId: MAIN_ACCOUNT_ID }],
      }),
    );
    const main = await knowing.getCredentialProvider();
    expect(main.accountId).toBe(MAIN_ACCOUNT_ID);
    await knowing.getCredentialProvider({ accountId: MAIN_ACCOUNT_ID });
    expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(1);
  });

  it('refuses a malformed account ID or ARN before asking the service', async () => {
    const found = counting(await connectionsOf({ auth: [MAIN_ENTRY] }));
    const manager = createAwsCredentialsManagerFromConnection(found.service);
    await expect(
      manager.getCredentialProvider({ accountId: '123' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      manager.getCredentialProvider({ arn: 'not-an-arn' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(found.calls).toEqual([]);
  });
});
