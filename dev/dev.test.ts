import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  DEMO_DEFAULT_ROLE_NAME,
  DEMO_MAIN_ACCOUNT,
  DEMO_OTHER_ACCOUNT_ID,
  DEMO_ROLE_ACCOUNT,
  DEMO_STATIC_ACCOUNT,
  demoAwsConfig,
  registerDemoIdentities,
} from './demoConfig';
import { demoPlugin } from './demoPlugin';
import { useAwsTestEnv } from '../src/__testUtils__/awsTestEnv';
import { awsCredentialsServiceFactory } from '../src/service/awsCredentialsServiceFactory';

const BASE = '/api/aws-credentials-demo';

/** Everything of the demo config that must never leave the backend. */
const SECRETS = [
  DEMO_MAIN_ACCOUNT.accessKeyId,
  DEMO_MAIN_ACCOUNT.secretAccessKey,
  DEMO_STATIC_ACCOUNT.accessKeyId,
  DEMO_STATIC_ACCOUNT.secretAccessKey,
  DEMO_ROLE_ACCOUNT.externalId,
];

describe('demoPlugin (dev)', () => {
  const env = useAwsTestEnv();

  beforeEach(() => {
    registerDemoIdentities(env.sts);
    // As in the dev backend, only aws.sts.endpoint leads to the loopback STS.
    delete process.env.AWS_ENDPOINT_URL_STS;
  });

  /**
   * The dev backend of `npm start`, pointed at the loopback STS of the test.
   * A request without a token is unauthenticated, as in a real backend.
   * With `null`, the config has no `aws` block.
   */
  async function startDemo(aws: object | null = demoAwsConfig(env.sts.url)) {
    const { server } = await startTestBackend({
      features: [
        demoPlugin,
        awsCredentialsServiceFactory,
        mockServices.rootConfig.factory({ data: aws ? { aws } : {} }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    return server;
  }

  function expectNoSecret(text: string) {
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
    }
  }

  describe('GET /accounts', () => {
    it('lists the configured accounts without their secrets', async () => {
      const res = await request(await startDemo()).get(`${BASE}/accounts`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        mainAccount: {
          kind: 'static',
          subject: 'the main account',
          configPath: 'aws.mainAccount',
        },
        accounts: [
          {
            kind: 'static',
            subject: `account ${DEMO_STATIC_ACCOUNT.accountId}`,
            accountId: DEMO_STATIC_ACCOUNT.accountId,
            configPath: 'aws.accounts[0]',
          },
          {
            kind: 'assume_role',
            subject: `account ${DEMO_ROLE_ACCOUNT.accountId}`,
            accountId: DEMO_ROLE_ACCOUNT.accountId,
            configPath: 'aws.accounts[1]',
            roleArn: `arn:aws:iam::${DEMO_ROLE_ACCOUNT.accountId}:role/${DEMO_ROLE_ACCOUNT.roleName}`,
            stsRegion: 'us-east-1',
            roleSessionName: 'backstage',
            signedWith: 'main account',
            sts: { endpoint: env.sts.url },
          },
        ],
        accountDefaults: {
          kind: 'assume_role',
          subject: 'account {accountId}',
          accountId: '{accountId}',
          configPath: 'aws.accountDefaults',
          roleArn: `arn:aws:iam::{accountId}:role/${DEMO_DEFAULT_ROLE_NAME}`,
          stsRegion: 'us-east-1',
          roleSessionName: 'backstage',
          signedWith: 'main account',
          sts: { endpoint: env.sts.url },
        },
      });
      expectNoSecret(res.text);
    });

    it('describes a config without an aws block', async () => {
      const res = await request(await startDemo(null)).get(`${BASE}/accounts`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        mainAccount: {
          kind: 'default_chain',
          subject: 'the main account',
          configPath: 'aws.mainAccount',
        },
        accounts: [],
      });
    });
  });

  describe('GET /whoami', () => {
    it('assumes the role of a role account, with its external ID', async () => {
      const res = await request(await startDemo()).get(
        `${BASE}/whoami?accountId=${DEMO_ROLE_ACCOUNT.accountId}`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        account: DEMO_ROLE_ACCOUNT.accountId,
        callerArn: `arn:aws:sts::${DEMO_ROLE_ACCOUNT.accountId}:assumed-role/${DEMO_ROLE_ACCOUNT.roleName}/backstage`,
        roleArn: `arn:aws:iam::${DEMO_ROLE_ACCOUNT.accountId}:role/${DEMO_ROLE_ACCOUNT.roleName}`,
        stsRegion: 'us-east-1',
        expiration: expect.any(String),
      });
      expect(Date.parse(res.body.expiration)).toBeGreaterThan(Date.now());
      expectNoSecret(res.text);

      const [assumeRole] = env.sts.callsOf('AssumeRole');
      expect(assumeRole.accessKeyId).toBe(DEMO_MAIN_ACCOUNT.accessKeyId);
      expect(assumeRole.params.ExternalId).toBe(DEMO_ROLE_ACCOUNT.externalId);
    });

    it('reaches an unlisted account of an ARN through accountDefaults', async () => {
      const res = await request(await startDemo())
        .get(`${BASE}/whoami`)
        .query({ arn: `arn:aws:sqs:us-east-1:${DEMO_OTHER_ACCOUNT_ID}:q` });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        account: DEMO_OTHER_ACCOUNT_ID,
        callerArn: `arn:aws:sts::${DEMO_OTHER_ACCOUNT_ID}:assumed-role/${DEMO_DEFAULT_ROLE_NAME}/backstage`,
        roleArn: `arn:aws:iam::${DEMO_OTHER_ACCOUNT_ID}:role/${DEMO_DEFAULT_ROLE_NAME}`,
        stsRegion: 'us-east-1',
        expiration: expect.any(String),
      });
      expect(Date.parse(res.body.expiration)).toBeGreaterThan(Date.now());
    });

    it('uses the static keys of a static account, which do not expire', async () => {
      const res = await request(await startDemo()).get(
        `${BASE}/whoami?accountId=${DEMO_STATIC_ACCOUNT.accountId}`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        account: DEMO_STATIC_ACCOUNT.accountId,
        callerArn: DEMO_STATIC_ACCOUNT.arn,
        roleArn: null,
        stsRegion: null,
        expiration: null,
      });
      expectNoSecret(res.text);
    });

    it('answers for the main account when no account is named', async () => {
      const res = await request(await startDemo()).get(`${BASE}/whoami`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        account: DEMO_MAIN_ACCOUNT.accountId,
        callerArn: DEMO_MAIN_ACCOUNT.arn,
        roleArn: null,
      });
    });

    it('answers 404 with a helpful message for an account that is not configured', async () => {
      const { accountDefaults: _, ...withoutDefaults } = demoAwsConfig(
        env.sts.url,
      );
      const res = await request(await startDemo(withoutDefaults)).get(
        `${BASE}/whoami?accountId=999999999999`,
      );

      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: expect.stringMatching(
          /^There is no AWS integration that matches 999999999999\..*aws\.accounts.*aws\.accountDefaults\.roleName/,
        ),
      });
      // The main account's ID was learnt from STS, to rule it out.
      expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(1);
    });

    it('answers 400 for a malformed ARN', async () => {
      const res = await request(await startDemo()).get(
        `${BASE}/whoami?arn=not-an-arn`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: expect.stringContaining("Invalid ARN 'not-an-arn'"),
      });
      expect(env.sts.calls).toHaveLength(0);
    });

    it('answers 400 for a malformed account ID or a repeated parameter', async () => {
      const server = await startDemo();

      const badId = await request(server).get(`${BASE}/whoami?accountId=12345`);
      expect(badId.status).toBe(400);
      expect(badId.body.error.message).toContain(
        "Invalid AWS account ID '12345'",
      );

      const repeated = await request(server).get(
        `${BASE}/whoami?accountId=111122223333&accountId=444455556666`,
      );
      expect(repeated.status).toBe(400);
      expect(repeated.body.error.message).toContain("'accountId' once");
    });
  });
});
