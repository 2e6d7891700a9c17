import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { fromTokenFile } from '@aws-sdk/credential-providers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLE_ARN, USER, useLoopbackSts } from './__testUtils__/useLoopbackSts';

describe('actions', () => {
  const sts = useLoopbackSts();

  describe('GetCallerIdentity', () => {
    it('answers for a registered user over SigV4', async () => {
      const result = await sts
        .client(USER)
        .send(new GetCallerIdentityCommand({}));
      expect(result).toMatchObject({
        Account: '111111111111',
        Arn: 'arn:aws:iam::111111111111:user/tester',
        UserId: 'AIDAEXAMPLEUSERID0001',
      });
      expect(result.$metadata.requestId).toEqual(expect.any(String));
    });
  });

  describe('AssumeRole', () => {
    it('issues credentials through fromTemporaryCredentials', async () => {
      const credentials = await sts.assumeRole();
      expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
      expect(credentials.sessionToken).toEqual(expect.any(String));
      expect(credentials.expiration).toBeInstanceOf(Date);
      const lifetime = credentials.expiration!.getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(3590_000);
      expect(lifetime).toBeLessThanOrEqual(3600_000);

      expect(sts.server.callsOf('AssumeRole')).toEqual([
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

      const identity = await sts
        .client(credentials)
        .send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('222222222222');
      expect(identity.Arn).toBe(
        'arn:aws:sts::222222222222:assumed-role/r/backstage',
      );
      expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:backstage$/);
      expect(sts.server.calls[1]).toMatchObject({
        action: 'GetCallerIdentity',
        accessKeyId: credentials.accessKeyId,
        sessionToken: credentials.sessionToken,
      });

      const again = await sts.assumeRole();
      expect(again.accessKeyId).not.toBe(credentials.accessKeyId);
      expect(again.secretAccessKey).not.toBe(credentials.secretAccessKey);
    });

    it('returns AssumedRoleUser through the STS client', async () => {
      const result = await sts.client(USER).send(
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
        sts
          .client(USER)
          .send(
            new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: '' }),
          ),
      ).rejects.toMatchObject({ name: 'ValidationError' });
    });

    it('records session tags, duration and session name', async () => {
      await sts.client(USER).send(
        new AssumeRoleCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'tagged',
          DurationSeconds: 1800,
          Tags: [
            { Key: 'team', Value: 'platform' },
            { Key: 'plugin', Value: 'catalog' },
          ],
        }),
      );
      const [call] = sts.server.callsOf('AssumeRole');
      expect(call.tags).toEqual({ team: 'platform', plugin: 'catalog' });
      expect(call.params).toMatchObject({
        DurationSeconds: '1800',
        RoleSessionName: 'tagged',
      });
    });

    it('refuses a DurationSeconds above the role maximum', async () => {
      sts.server.maxSessionDurationSeconds = 3600;
      const assume = (DurationSeconds: number) =>
        sts.client(USER).send(
          new AssumeRoleCommand({
            RoleArn: ROLE_ARN,
            RoleSessionName: 'session',
            DurationSeconds,
          }),
        );
      await expect(assume(3600)).resolves.toHaveProperty('Credentials');
      await expect(assume(3601)).rejects.toMatchObject({
        name: 'ValidationError',
        message:
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('refuses a DurationSeconds outside what STS allows', async () => {
      const assume = (DurationSeconds: number) =>
        sts.client(USER).send(
          new AssumeRoleCommand({
            RoleArn: ROLE_ARN,
            RoleSessionName: 'session',
            DurationSeconds,
          }),
        );
      await expect(assume(899)).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('Member must have value between'),
      });
      await expect(assume(43201)).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('Member must have value between'),
      });
    });

    it('refuses issued credentials without their session token', async () => {
      const credentials = await sts.assumeRole();
      await expect(
        sts
          .client({
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
          })
          .send(new GetCallerIdentityCommand({})),
      ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    });
  });

  describe('AssumeRoleWithWebIdentity', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sts-test-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves fromTokenFile, unsigned', async () => {
      const payload = Buffer.from(
        JSON.stringify({ sub: 'system:serviceaccount:ns:sa', aud: 'sts' }),
      ).toString('base64url');
      const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`;
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, token);
      const provider = fromTokenFile({
        webIdentityTokenFile: tokenFile,
        roleArn: 'arn:aws:iam::444444444444:role/web',
        roleSessionName: 'web-session',
        clientConfig: { region: 'eu-central-1' },
      });

      const credentials = await provider();
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      const [call] = sts.server.callsOf('AssumeRoleWithWebIdentity');
      expect(call.accessKeyId).toBeUndefined();
      expect(call.params).toMatchObject({
        RoleArn: 'arn:aws:iam::444444444444:role/web',
        RoleSessionName: 'web-session',
        WebIdentityToken: token,
      });
      const identity = await sts
        .client(credentials)
        .send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(
        'arn:aws:sts::444444444444:assumed-role/web/web-session',
      );
    });

    it('refuses an empty token', async () => {
      const tokenFile = join(dir, 'token');
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
    });
  });
});
