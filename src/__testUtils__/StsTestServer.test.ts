import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  fromTemporaryCredentials,
  fromTokenFile,
} from '@aws-sdk/credential-providers';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StsTestServer } from './StsTestServer';

const USER = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const USER_IDENTITY = {
  account: '111111111111',
  arn: 'arn:aws:iam::111111111111:user/tester',
  userId: 'AIDAEXAMPLEUSERID0001',
};
const ROLE_ARN = 'arn:aws:iam::222222222222:role/r';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Raw POST to the server, for requests the SDK would never send. */
function rawPost(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          connection: 'close',
          ...headers,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('StsTestServer', () => {
  let server: StsTestServer;
  let savedEnv: NodeJS.ProcessEnv;
  const clients: STSClient[] = [];

  function client(
    credentials: Credentials,
    extra: Partial<ConstructorParameters<typeof STSClient>[0]> = {},
  ): STSClient {
    const c = new STSClient({
      region: 'eu-west-1',
      endpoint: server.url,
      credentials,
      ...extra,
    });
    clients.push(c);
    return c;
  }

  function assumeRole(credentials: Credentials = USER) {
    return fromTemporaryCredentials({
      params: {
        RoleArn: ROLE_ARN,
        RoleSessionName: 'backstage',
        ExternalId: 'x',
      },
      masterCredentials: credentials,
      clientConfig: { region: 'us-east-1' },
    })();
  }

  beforeEach(async () => {
    savedEnv = process.env;
    process.env = { ...savedEnv };
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('AWS_')) {
        delete process.env[name];
      }
    }
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    server = await StsTestServer.start();
    server.addUser(USER.accessKeyId, USER.secretAccessKey, USER_IDENTITY);
    process.env.AWS_ENDPOINT_URL_STS = server.url;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.destroy();
    }
    await server.stop();
    process.env = savedEnv;
  });

  it('answers GetCallerIdentity for a registered user over SigV4', async () => {
    const result = await client(USER).send(new GetCallerIdentityCommand({}));
    expect(result).toMatchObject({
      Account: USER_IDENTITY.account,
      Arn: USER_IDENTITY.arn,
      UserId: USER_IDENTITY.userId,
    });
    expect(result.$metadata.requestId).toEqual(expect.any(String));
    expect(server.calls).toEqual([
      {
        action: 'GetCallerIdentity',
        accessKeyId: USER.accessKeyId,
        region: 'eu-west-1',
        params: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        sessionToken: undefined,
      },
    ]);
  });

  it('rejects a wrong secret and an unknown key', async () => {
    await expect(
      client({ ...USER, secretAccessKey: 'wrong' }).send(
        new GetCallerIdentityCommand({}),
      ),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      client({ ...USER, accessKeyId: 'AKIAUNKNOWNKEY000000' }).send(
        new GetCallerIdentityCommand({}),
      ),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    // Neither is retried by the SDK.
    expect(server.calls).toHaveLength(2);
  });

  it('issues credentials through fromTemporaryCredentials', async () => {
    const credentials = await assumeRole();
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.sessionToken).toEqual(expect.any(String));
    expect(credentials.expiration).toBeInstanceOf(Date);
    const lifetime = credentials.expiration!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);

    expect(server.callsOf('AssumeRole')).toEqual([
      expect.objectContaining({
        accessKeyId: USER.accessKeyId,
        region: 'us-east-1',
        params: expect.objectContaining({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'backstage',
          ExternalId: 'x',
        }),
      }),
    ]);

    const identity = await client(credentials).send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity.Account).toBe('222222222222');
    expect(identity.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/r/backstage',
    );
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:backstage$/);
    expect(server.calls[1]).toMatchObject({
      action: 'GetCallerIdentity',
      accessKeyId: credentials.accessKeyId,
      sessionToken: credentials.sessionToken,
    });

    // Each AssumeRole issues fresh credentials.
    const again = await assumeRole();
    expect(again.accessKeyId).not.toBe(credentials.accessKeyId);
    expect(again.secretAccessKey).not.toBe(credentials.secretAccessKey);
  });

  it('returns AssumedRoleUser through the STS client', async () => {
    const result = await client(USER).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws-cn:iam::333333333333:role/path/to/reader',
        RoleSessionName: 's1',
        DurationSeconds: 900,
      }),
    );
    expect(result.AssumedRoleUser?.Arn).toBe(
      'arn:aws-cn:sts::333333333333:assumed-role/reader/s1',
    );
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/:s1$/);
    expect(result.Credentials?.Expiration).toBeInstanceOf(Date);

    await expect(
      client(USER).send(
        new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: '' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('refuses issued credentials without their session token', async () => {
    const credentials = await assumeRole();
    await expect(
      client({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
      }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('supports fromTokenFile (unsigned AssumeRoleWithWebIdentity)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sts-test-'));
    try {
      const payload = Buffer.from(
        JSON.stringify({ sub: 'system:serviceaccount:ns:sa', aud: 'sts' }),
      ).toString('base64url');
      const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`;
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, token);

      const credentials = await fromTokenFile({
        webIdentityTokenFile: tokenFile,
        roleArn: 'arn:aws:iam::444444444444:role/web',
        roleSessionName: 'web-session',
        clientConfig: { region: 'eu-central-1' },
      })();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);

      const [call] = server.callsOf('AssumeRoleWithWebIdentity');
      expect(call.accessKeyId).toBeUndefined();
      expect(call.params).toMatchObject({
        RoleArn: 'arn:aws:iam::444444444444:role/web',
        RoleSessionName: 'web-session',
        WebIdentityToken: token,
      });

      const identity = await client(credentials).send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toBe(
        'arn:aws:sts::444444444444:assumed-role/web/web-session',
      );

      writeFileSync(tokenFile, '');
      // The SDK maps the wire code InvalidIdentityToken to its modeled name.
      await expect(
        fromTokenFile({
          webIdentityTokenFile: tokenFile,
          roleArn: 'arn:aws:iam::444444444444:role/web',
          roleSessionName: 'web-session',
          clientConfig: { region: 'eu-central-1' },
        })(),
      ).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets the SDK retry an injected throttle', async () => {
    server.injectFault({ status: 400, code: 'Throttling' });
    const result = await client(USER).send(new GetCallerIdentityCommand({}));
    expect(result.Account).toBe(USER_IDENTITY.account);
    expect(server.calls).toHaveLength(2);
  });

  it('injects errors, optionally per action and repeatedly', async () => {
    server.injectFault({ status: 403, code: 'AccessDenied', message: 'no' });
    await expect(assumeRole()).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'no',
    });
    expect(server.callsOf('AssumeRole')).toHaveLength(1);

    server.reset();
    server.injectFault(
      { status: 403, code: 'AccessDenied' },
      Infinity,
      'AssumeRole',
    );
    await expect(
      client(USER).send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({ Account: USER_IDENTITY.account });
    await expect(assumeRole()).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assumeRole()).rejects.toMatchObject({ name: 'AccessDenied' });
    server.clearFaults();
    await expect(assumeRole()).resolves.toHaveProperty('accessKeyId');
    expect(server.calls.map(c => c.action)).toEqual([
      'GetCallerIdentity',
      'AssumeRole',
      'AssumeRole',
      'AssumeRole',
    ]);
  });

  it('fails requests on close and hang faults', async () => {
    // This @smithy/node-http-handler only warns on requestTimeout unless
    // throwOnRequestTimeout is set.
    const opts = {
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    };

    server.injectFault('close');
    await expect(
      client(USER, opts).send(new GetCallerIdentityCommand({})),
    ).rejects.toThrow();

    server.injectFault('hang');
    const started = Date.now();
    await expect(
      client(USER, opts).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.calls).toHaveLength(2);
  });

  it('refuses expired issued credentials', async () => {
    server.credentialLifetimeSeconds = 1;
    const credentials = await assumeRole();
    const wait = credentials.expiration!.getTime() - Date.now() + 50;
    await new Promise(resolve => setTimeout(resolve, Math.max(0, wait)));
    await expect(
      client({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('delays answers', async () => {
    server.delayMs = 150;
    const started = Date.now();
    await client(USER).send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers raw protocol errors', async () => {
    const unsigned = await rawPost(
      server.url,
      'Action=GetCallerIdentity&Version=2011-06-15',
    );
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toContain('<Code>MissingAuthenticationToken</Code>');

    const unknown = await rawPost(
      server.url,
      'Action=DecodeAuthorizationMessage&Version=2011-06-15',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code>',
    );

    const noRole = await rawPost(
      server.url,
      'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&WebIdentityToken=t&RoleSessionName=s',
    );
    expect(noRole.status).toBe(400);
    expect(noRole.body).toContain('<Code>ValidationError</Code>');

    expect(server.calls.map(c => c.action)).toEqual([
      'GetCallerIdentity',
      'DecodeAuthorizationMessage',
      'AssumeRoleWithWebIdentity',
    ]);
  });

  it('stops cleanly with a hung request and a pending delay open', async () => {
    server.injectFault('hang');
    const hung = rawPost(server.url, 'Action=GetCallerIdentity');
    const other = await StsTestServer.start({ delayMs: 10_000 });
    const delayed = rawPost(other.url, 'Action=GetCallerIdentity');
    while (server.calls.length < 1 || other.calls.length < 1) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await server.stop();
    await other.stop();
    await expect(hung).rejects.toThrow();
    await expect(delayed).rejects.toThrow();
  });
});
