import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parseAuthorization } from './signature';
import {
  signedPost,
  USER,
  useLoopbackSts,
} from './__testUtils__/useLoopbackSts';

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

describe('signature', () => {
  describe('parseAuthorization', () => {
    it('reads the credential scope, signed headers and signature', () => {
      expect(
        parseAuthorization(
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/sts/aws4_request, SignedHeaders=Host;x-amz-date, Signature=abc123',
        ),
      ).toEqual({
        accessKeyId: 'AKIDEXAMPLE',
        date: '20240102',
        region: 'eu-west-1',
        service: 'sts',
        terminator: 'aws4_request',
        signedHeaders: ['host', 'x-amz-date'],
        signature: 'abc123',
      });
    });

    it('refuses other schemes and incomplete headers', () => {
      expect(parseAuthorization('Bearer abc')).toBeUndefined();
      expect(
        parseAuthorization(
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/sts/aws4_request, SignedHeaders=host, Signature=abc',
        ),
      ).toBeUndefined();
      expect(
        parseAuthorization(
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/sts/aws4_request, SignedHeaders=host',
        ),
      ).toBeUndefined();
    });
  });

  describe('checks on requests', () => {
    const sts = useLoopbackSts();

    it('accepts what the SDK signs, query string and extra signed headers included', async () => {
      const answer = await signedPost(sts.server.url, BODY, USER, {
        query: { 'a b': 'c/d', z: '1', e: '' },
        headers: { 'user-agent': 'test  agent', 'x-amz-meta': ' spaced ' },
        signableHeaders: ['user-agent'],
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<Account>111111111111</Account>');
    });

    it('refuses a body changed after signing', async () => {
      const answer = await signedPost(sts.server.url, BODY, USER, {
        tamper: ({ headers }) => ({
          headers,
          body: `${BODY}&Extra=1`,
        }),
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('hashes the body itself when x-amz-content-sha256 is not sent', async () => {
      const { url } = sts.server;
      const options = { applyChecksum: false };
      expect((await signedPost(url, BODY, USER, options)).status).toBe(200);
      const changed = await signedPost(url, BODY, USER, {
        ...options,
        tamper: ({ headers }) => ({ headers, body: `${BODY}&Extra=1` }),
      });
      expect(changed.status).toBe(403);
      expect(changed.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('refuses an x-amz-date changed after signing', async () => {
      const answer = await signedPost(sts.server.url, BODY, USER, {
        tamper: ({ headers, body }) => ({
          headers: { ...headers, 'x-amz-date': '20200101T000000Z' },
          body,
        }),
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('refuses a signed header changed after signing', async () => {
      const answer = await signedPost(sts.server.url, BODY, USER, {
        tamper: ({ headers, body }) => ({
          headers: { ...headers, 'content-type': 'text/plain' },
          body,
        }),
      });
      expect(answer.status).toBe(403);
    });

    it('refuses a signature for another service', async () => {
      const answer = await signedPost(sts.server.url, BODY, USER, {
        service: 's3',
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(answer.body).toContain('Credential should be scoped');
    });

    it('refuses a wrong secret and an unknown key, neither retried by the SDK', async () => {
      await expect(
        sts
          .client({ ...USER, secretAccessKey: 'wrong' })
          .send(new GetCallerIdentityCommand({})),
      ).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        sts
          .client({ ...USER, accessKeyId: 'AKIAUNKNOWNKEY000000' })
          .send(new GetCallerIdentityCommand({})),
      ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
      expect(sts.server.calls).toHaveLength(2);
    });
  });
});
