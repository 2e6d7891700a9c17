import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { useFakeClock } from '../__testUtils__/fakeClock';

// The count targets of the benchmark (docs/benchmarks.md), as behaviour.

const K = 10;
const M = 20;
const accounts = Array.from({ length: K }, (_, i) => `${600000000000 + i}`);

const styles = {
  credentials: (p: AwsCredentialIdentityProvider) => ({ credentials: p }),
  credentialDefaultProvider: (p: AwsCredentialIdentityProvider) => ({
    credentialDefaultProvider: () => p,
  }),
};

function manager() {
  return DefaultAwsCredentialsManager.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: {
          accessKeyId: MAIN.accessKeyId,
          secretAccessKey: MAIN.secretAccessKey,
          accountId: MAIN.accountId,
        },
        accounts: accounts.map(accountId => ({
          accountId,
          roleName: 'declared',
        })),
        accountDefaults: { roleName: 'by-default' },
      },
    }),
  );
}

describe('DefaultAwsCredentialsManager STS call counts', () => {
  const env = useAwsTestEnv();
  // Hundreds of real HTTP calls to the loopback STS: on a loaded machine
  // that can take longer than jest's default 5 s.
  jest.setTimeout(60_000);

  describe.each(Object.entries(styles))(
    'with %s clients',
    (_style, options) => {
      it.each([
        ['declared accounts by ID', (id: string) => ({ accountId: id })],
        [
          'accountDefaults accounts by ARN',
          (id: string) => ({
            arn: `arn:aws:sqs:us-east-1:${id.replace(/^6/, '7')}:q`,
          }),
        ],
      ])(
        `costs ${K} AssumeRole for ${K} accounts × ${M} new clients, %s`,
        async (_kind, lookup) => {
          const aws = manager();
          await Promise.all(
            accounts.map(async id => {
              for (let i = 0; i < M; i++) {
                const { sdkCredentialProvider } =
                  await aws.getCredentialProvider(lookup(id));
                const client = new STSClient({
                  region: 'us-east-1',
                  ...options(sdkCredentialProvider),
                });
                await client.send(new GetCallerIdentityCommand({}));
              }
            }),
          );
          expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(K * M);
          expect(env.sts.callsOf('AssumeRole')).toHaveLength(K);
        },
      );
    },
  );

  it('costs one AssumeRole for 200 concurrent first lookups of one account', async () => {
    const aws = manager();
    const credentials = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const provider = await aws.getCredentialProvider({
          accountId: accounts[0],
        });
        return provider.sdkCredentialProvider();
      }),
    );
    expect(new Set(credentials.map(c => c.accessKeyId)).size).toBe(1);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('costs one AssumeRole for one long-lived client making 20 calls in the README style', async () => {
    const { sdkCredentialProvider } = await manager().getCredentialProvider({
      accountId: accounts[0],
    });
    const client = new STSClient({
      region: 'us-east-1',
      credentialDefaultProvider: () => sdkCredentialProvider,
    });
    for (let i = 0; i < 20; i++) {
      await client.send(new GetCallerIdentityCommand({}));
    }
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('refreshes expiring credentials ahead of expiry and never hands out expired ones', async () => {
    const clock = useFakeClock();
    try {
      env.sts.credentialLifetimeSeconds = 20;
      const { sdkCredentialProvider } = await manager().getCredentialProvider({
        accountId: accounts[0],
      });
      const client = new STSClient({
        region: 'us-east-1',
        credentialDefaultProvider: () => sdkCredentialProvider,
      });
      const handedOut: number[] = [];
      // 60 s of calls every 500 ms, with credentials living 20 s.
      for (let i = 0; i < 120; i++) {
        const c = await sdkCredentialProvider();
        handedOut.push(c.expiration!.getTime() - Date.now());
        await client.send(new GetCallerIdentityCommand({}));
        clock.advance(500);
      }
      expect(Math.min(...handedOut)).toBeGreaterThan(0);
      // Refreshed halfway through each 20 s life: about 6 AssumeRole calls
      // for 120 signed calls.
      const assumed = env.sts.callsOf('AssumeRole').length;
      expect(assumed).toBeGreaterThanOrEqual(3);
      expect(assumed).toBeLessThanOrEqual(8);
      expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(120);
    } finally {
      jest.useRealTimers();
    }
  });
});
