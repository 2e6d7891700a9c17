import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'node:http';
import { LoopbackSts } from '../LoopbackSts';
import { LoopbackStsOptions } from '../types';

export const USER = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const USER_IDENTITY = {
  account: '111111111111',
  arn: 'arn:aws:iam::111111111111:user/tester',
  userId: 'AIDAEXAMPLEUSERID0001',
};
export const ROLE_ARN = 'arn:aws:iam::222222222222:role/r';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RawAnswer {
  status: number;
  body: string;
}

/** Sends a request as given, for what the SDK would never send. */
export function rawPost(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
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

/**
 * Signs a POST to `url` with the SDK's signer; `tamper` may change the
 * signed request before it is sent.
 */
export async function signedPost(
  url: string,
  body: string,
  credentials: Credentials,
  options: {
    service?: string;
    /** Whether to send x-amz-content-sha256; the SDK does. Default true. */
    applyChecksum?: boolean;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    signableHeaders?: string[];
    tamper?: (signed: { headers: Record<string, string>; body: string }) => {
      headers: Record<string, string>;
      body: string;
    };
  } = {},
): Promise<RawAnswer> {
  const { host, pathname } = new URL(url);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: options.service ?? 'sts',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: pathname,
      query: options.query,
      headers: {
        host,
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      },
      body,
    }),
    { signableHeaders: new Set(options.signableHeaders ?? []) },
  );
  const sent = (options.tamper ?? (s => s))({
    headers: signed.headers,
    body,
  });
  // As the SDK writes query strings: %20, never '+'.
  const query = Object.entries(options.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return rawPost(query ? `${url}?${query}` : url, sent.body, sent.headers);
}

/**
 * A loopback STS for each test, the user above registered, and an
 * environment where the SDK can reach nothing else.
 */
export function useLoopbackSts(options: LoopbackStsOptions = {}) {
  let server: LoopbackSts;
  let savedEnv: NodeJS.ProcessEnv;
  const clients: STSClient[] = [];

  beforeEach(async () => {
    savedEnv = process.env;
    process.env = { ...savedEnv };
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('AWS_')) {
        delete process.env[name];
      }
    }
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    server = await LoopbackSts.start(options);
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

  return {
    get server(): LoopbackSts {
      return server;
    },
    /** An STS client of the loopback STS with these credentials. */
    client(
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
    },
    /** AssumeRole of ROLE_ARN the way a credential provider makes it. */
    assumeRole(credentials: Credentials = USER) {
      return fromTemporaryCredentials({
        params: {
          RoleArn: ROLE_ARN,
          RoleSessionName: 'backstage',
          ExternalId: 'x',
        },
        masterCredentials: credentials,
        clientConfig: { region: 'us-east-1' },
      })();
    },
  };
}
