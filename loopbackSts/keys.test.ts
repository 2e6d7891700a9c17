import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  USER,
  USER_IDENTITY,
  useLoopbackSts,
} from './__testUtils__/useLoopbackSts';

describe('issued keys', () => {
  // The server's clock; the SDK still signs with the real one, which the
  // loopback STS does not compare against.
  let now = Date.parse('2030-01-01T00:00:00Z');
  const sts = useLoopbackSts({
    credentialLifetimeSeconds: 900,
    forgetExpiredKeysAfterSeconds: 600,
    now: () => now,
  });

  beforeEach(() => {
    now = Date.parse('2030-01-01T00:00:00Z');
  });

  function whoAmI(credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }) {
    return sts.client(credentials).send(new GetCallerIdentityCommand({}));
  }

  it('expire after credentialLifetimeSeconds', async () => {
    const credentials = await sts.assumeRole();
    expect(credentials.expiration).toEqual(new Date('2030-01-01T00:15:00Z'));

    now += 899_000;
    await expect(whoAmI(credentials)).resolves.toHaveProperty(
      'Account',
      '222222222222',
    );
    now += 1_000;
    await expect(whoAmI(credentials)).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('are forgotten forgetExpiredKeysAfterSeconds after they expire', async () => {
    const credentials = await sts.assumeRole();

    now += (900 + 599) * 1000;
    await expect(whoAmI(credentials)).rejects.toMatchObject({
      name: 'ExpiredToken',
    });
    // Looked for at most once a minute.
    now += 61_000;
    await expect(whoAmI(credentials)).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  it('never forget registered users', async () => {
    await sts.assumeRole();
    now += 10 * 365 * 24 * 3600_000;
    await expect(whoAmI(USER)).resolves.toHaveProperty(
      'Arn',
      USER_IDENTITY.arn,
    );
  });
});
