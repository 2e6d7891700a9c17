import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import type { StsAction } from '../loopbackSts';
import {
  DEMO_CATALOG,
  DEMO_DISCOVERED_ACCOUNT,
  DEMO_DISCOVERED_FORBIDDEN_ACCOUNT,
  DEMO_FORBIDDEN_ACCOUNT_ID,
  DEMO_MAIN_ACCOUNT,
  DEMO_ORGANIZATION,
  DEMO_OTHER_ACCOUNT_ID,
  DEMO_READ_ONLY_ROLE_NAME,
  DEMO_ROLE_ACCOUNT,
  DEMO_SCAFFOLDER,
  DEMO_STATIC_ACCOUNT,
  demoAwsConfig,
  registerDemoIdentities,
} from './demoConfig';
import { demoCatalogPlugin, demoScaffolderPlugin } from './demoPlugin';
import { useAwsTestEnv } from '../src/__testUtils__/awsTestEnv';
import { awsCredentialsServiceFactory } from '../src/service/awsCredentialsServiceFactory';

const CATALOG = `/api/${DEMO_CATALOG.pluginId}`;
const SCAFFOLDER = `/api/${DEMO_SCAFFOLDER.pluginId}`;

const READ_ONLY_ROLE_ARN = `arn:aws:iam::${DEMO_ROLE_ACCOUNT.accountId}:role/${DEMO_READ_ONLY_ROLE_NAME}`;
const PROVISIONING_ROLE_ARN = `arn:aws:iam::${DEMO_ROLE_ACCOUNT.accountId}:role/${DEMO_SCAFFOLDER.roleName}`;

const STS_ACTIONS: string[] = [
  'AssumeRole',
  'AssumeRoleWithWebIdentity',
  'GetCallerIdentity',
] satisfies StsAction[];

/** Everything of the demo config that must never leave the backend. */
const SECRETS = [
  DEMO_MAIN_ACCOUNT.accessKeyId,
  DEMO_MAIN_ACCOUNT.secretAccessKey,
  DEMO_STATIC_ACCOUNT.accessKeyId,
  DEMO_STATIC_ACCOUNT.secretAccessKey,
  DEMO_ROLE_ACCOUNT.externalId,
];

describe('the demo plugins (dev)', () => {
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
        demoCatalogPlugin,
        demoScaffolderPlugin,
        awsCredentialsServiceFactory,
        mockServices.rootConfig.factory({ data: aws ? { aws } : {} }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    return server;
  }

  /**
   * The STS calls received, without the Organizations calls of the
   * listing that each backend starts in the background.
   */
  const stsCalls = () =>
    env.sts.calls.filter(call => STS_ACTIONS.includes(call.action));

  function expectNoSecret(text: string) {
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
    }
  }

  it('starts with the demo config and lists the demo organization without a warning, and says what it serves in one line', async () => {
    const rootLogger = mockServices.rootLogger.mock();
    // Every logger of the backend is this one, so any warning counts.
    rootLogger.child.mockReturnValue(rootLogger);
    const { server } = await startTestBackend({
      features: [
        demoCatalogPlugin,
        demoScaffolderPlugin,
        awsCredentialsServiceFactory,
        mockServices.rootConfig.factory({
          data: { aws: demoAwsConfig(env.sts.url) },
        }),
        rootLogger.factory,
        mockServices.logger.factory(),
      ],
    });
    // Waits for the first listing of the organization, which a failure
    // would warn about.
    const listed = await request(server).get(`${CATALOG}/list-accounts`);
    expect(listed.status).toBe(200);

    expect(listed.body).toContainEqual(
      expect.objectContaining({
        accountId: DEMO_DISCOVERED_ACCOUNT.id,
        source: 'organization',
      }),
    );
    expect(rootLogger.warn).not.toHaveBeenCalled();
    expect(rootLogger.error).not.toHaveBeenCalled();
    expect(rootLogger.info).toHaveBeenCalledWith(
      'AWS credentials: 2 account(s) configured, main account uses static keys, account defaults apply, plugin settings for demo-catalog, demo-scaffolder',
      expect.anything(),
    );
  });

  describe('GET /accounts', () => {
    const sts = () => ({ endpoint: env.sts.url });

    it("lists the catalog's accounts, the global ones, without their secrets", async () => {
      const res = await request(await startDemo()).get(`${CATALOG}/accounts`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        mainAccount: {
          kind: 'static',
          subject: 'the main account',
          accountId: DEMO_MAIN_ACCOUNT.accountId,
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
            roleArn: READ_ONLY_ROLE_ARN,
            stsRegion: 'us-east-1',
            roleSessionName: 'backstage-demo-catalog',
            signedWith: 'main account',
            sts: sts(),
          },
        ],
        accountDefaults: {
          kind: 'assume_role',
          subject: 'account {accountId}',
          accountId: '{accountId}',
          configPath: 'aws.accountDefaults',
          roleArn: `arn:aws:iam::{accountId}:role/${DEMO_READ_ONLY_ROLE_NAME}`,
          stsRegion: 'us-east-1',
          roleSessionName: 'backstage-demo-catalog',
          signedWith: 'main account',
          sts: sts(),
        },
      });
      expectNoSecret(res.text);
    });

    it("lists the scaffolder's own role and tags, and no account defaults", async () => {
      const res = await request(await startDemo()).get(
        `${SCAFFOLDER}/accounts`,
      );

      expect(res.status).toBe(200);
      expect(res.body.accounts).toEqual([
        expect.objectContaining({
          kind: 'static',
          configPath: 'aws.accounts[0]',
        }),
        {
          kind: 'assume_role',
          subject: `account ${DEMO_ROLE_ACCOUNT.accountId}`,
          accountId: DEMO_ROLE_ACCOUNT.accountId,
          configPath: 'aws.plugins.demo-scaffolder.accounts[0]',
          roleArn: PROVISIONING_ROLE_ARN,
          stsRegion: 'us-east-1',
          roleSessionName: 'backstage-demo-scaffolder',
          sessionTags: { plugin: 'demo-scaffolder', access: 'provisioning' },
          signedWith: 'main account',
          sts: sts(),
        },
      ]);
      expect(res.body).not.toHaveProperty('accountDefaults');
      expectNoSecret(res.text);
    });

    it('describes a config without an aws block', async () => {
      const res = await request(await startDemo(null)).get(
        `${CATALOG}/accounts`,
      );

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

  describe('GET /list-accounts', () => {
    const discovered = (
      member: (typeof DEMO_ORGANIZATION.members)[number],
    ) => ({
      accountId: member.id,
      name: member.name,
      source: 'organization',
      organizationalUnitId: DEMO_ORGANIZATION.workloadsOuId,
      tags: member.tags,
    });

    it("lists the catalog's allowed accounts: the main one, the declared ones and the one discovered account of its allow-list", async () => {
      const res = await request(await startDemo()).get(
        `${CATALOG}/list-accounts`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { accountId: DEMO_MAIN_ACCOUNT.accountId, source: 'main' },
        { accountId: DEMO_STATIC_ACCOUNT.accountId, source: 'declared' },
        { accountId: DEMO_ROLE_ACCOUNT.accountId, source: 'declared' },
        discovered(DEMO_DISCOVERED_ACCOUNT),
      ]);
      expectNoSecret(res.text);
    });

    it('lists for the scaffolder, which has no allow-list, both accounts discovered in the workloads OU with their names and tags', async () => {
      const res = await request(await startDemo()).get(
        `${SCAFFOLDER}/list-accounts`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { accountId: DEMO_MAIN_ACCOUNT.accountId, source: 'main' },
        { accountId: DEMO_STATIC_ACCOUNT.accountId, source: 'declared' },
        { accountId: DEMO_ROLE_ACCOUNT.accountId, source: 'declared' },
        discovered(DEMO_ORGANIZATION.members[0]),
        discovered(DEMO_ORGANIZATION.members[1]),
      ]);
      // The listing walked the OU, signed with the main account's keys
      // (backends of earlier tests, still running, may have listed too).
      const signers = env.sts
        .callsOf('ListAccountsForParent')
        .map(call => call.accessKeyId);
      expect(signers).not.toHaveLength(0);
      expect(new Set(signers)).toEqual(
        new Set([DEMO_MAIN_ACCOUNT.accessKeyId]),
      );
    });
  });

  describe('GET /whoami', () => {
    it('serves an account discovered in the organization by assuming organization.roleName, for the catalog whose allow-list has it', async () => {
      const res = await request(await startDemo()).get(
        `${CATALOG}/whoami?accountId=${DEMO_DISCOVERED_ACCOUNT.id}`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        account: DEMO_DISCOVERED_ACCOUNT.id,
        callerArn: `arn:aws:sts::${DEMO_DISCOVERED_ACCOUNT.id}:assumed-role/${DEMO_READ_ONLY_ROLE_NAME}/backstage-demo-catalog`,
        roleArn: `arn:aws:iam::${DEMO_DISCOVERED_ACCOUNT.id}:role/${DEMO_READ_ONLY_ROLE_NAME}`,
        stsRegion: 'us-east-1',
        expiration: expect.any(String),
      });
      // The organization role has no external ID.
      expect(
        env.sts.callsOf('AssumeRole').map(call => call.params.ExternalId),
      ).toEqual([undefined]);
    });

    it('refuses the catalog a discovered account outside its allow-list with 403, and gives it to the scaffolder with its session tags', async () => {
      const server = await startDemo();
      const id = DEMO_DISCOVERED_FORBIDDEN_ACCOUNT.id;

      const catalog = await request(server).get(
        `${CATALOG}/whoami?accountId=${id}`,
      );
      const scaffolder = await request(server).get(
        `${SCAFFOLDER}/whoami?accountId=${id}`,
      );

      expect(catalog.status).toBe(403);
      expect(catalog.body.error.name).toBe('NotAllowedError');
      expect(scaffolder.status).toBe(200);
      expect(scaffolder.body).toMatchObject({
        account: id,
        callerArn: `arn:aws:sts::${id}:assumed-role/${DEMO_READ_ONLY_ROLE_NAME}/backstage-demo-scaffolder`,
      });
      expect(env.sts.callsOf('AssumeRole').map(call => call.tags)).toEqual([
        { plugin: 'demo-scaffolder', access: 'provisioning' },
      ]);
    });

    it('gives each plugin its own role and session name in the same account', async () => {
      const server = await startDemo();

      const catalog = await request(server).get(
        `${CATALOG}/whoami?accountId=${DEMO_ROLE_ACCOUNT.accountId}`,
      );
      const scaffolder = await request(server).get(
        `${SCAFFOLDER}/whoami?accountId=${DEMO_ROLE_ACCOUNT.accountId}`,
      );

      expect(catalog.status).toBe(200);
      expect(catalog.body).toEqual({
        account: DEMO_ROLE_ACCOUNT.accountId,
        callerArn: `arn:aws:sts::${DEMO_ROLE_ACCOUNT.accountId}:assumed-role/${DEMO_READ_ONLY_ROLE_NAME}/backstage-demo-catalog`,
        roleArn: READ_ONLY_ROLE_ARN,
        stsRegion: 'us-east-1',
        expiration: expect.any(String),
      });
      expect(Date.parse(catalog.body.expiration)).toBeGreaterThan(Date.now());
      expect(scaffolder.status).toBe(200);
      expect(scaffolder.body).toMatchObject({
        account: DEMO_ROLE_ACCOUNT.accountId,
        callerArn: `arn:aws:sts::${DEMO_ROLE_ACCOUNT.accountId}:assumed-role/${DEMO_SCAFFOLDER.roleName}/backstage-demo-scaffolder`,
        roleArn: PROVISIONING_ROLE_ARN,
      });
      expectNoSecret(catalog.text + scaffolder.text);

      // What STS received: two sessions, signed with the main account's
      // keys, with the external ID; only the scaffolder's carries tags.
      const calls = env.sts.callsOf('AssumeRole');
      expect(
        calls.map(({ accessKeyId, params, tags }) => ({
          accessKeyId,
          roleArn: params.RoleArn,
          roleSessionName: params.RoleSessionName,
          externalId: params.ExternalId,
          tags,
        })),
      ).toEqual([
        {
          accessKeyId: DEMO_MAIN_ACCOUNT.accessKeyId,
          roleArn: READ_ONLY_ROLE_ARN,
          roleSessionName: 'backstage-demo-catalog',
          externalId: DEMO_ROLE_ACCOUNT.externalId,
          tags: {},
        },
        {
          accessKeyId: DEMO_MAIN_ACCOUNT.accessKeyId,
          roleArn: PROVISIONING_ROLE_ARN,
          roleSessionName: 'backstage-demo-scaffolder',
          externalId: DEMO_ROLE_ACCOUNT.externalId,
          tags: { plugin: 'demo-scaffolder', access: 'provisioning' },
        },
      ]);
    });

    it('refuses the catalog an account outside its allow-list with 403, before any STS call', async () => {
      const res = await request(await startDemo()).get(
        `${CATALOG}/whoami?accountId=${DEMO_FORBIDDEN_ACCOUNT_ID}`,
      );

      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message: `AWS account ${DEMO_FORBIDDEN_ACCOUNT_ID} is not allowed to plugin 'demo-catalog': it is not in aws.plugins.demo-catalog.allowedAccountIds. Add it there if this plugin may use it.`,
      });
      expect(stsCalls()).toHaveLength(0);
    });

    it('reaches an unlisted account of an ARN through accountDefaults for the catalog', async () => {
      const res = await request(await startDemo())
        .get(`${CATALOG}/whoami`)
        .query({ arn: `arn:aws:sqs:us-east-1:${DEMO_OTHER_ACCOUNT_ID}:q` });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        account: DEMO_OTHER_ACCOUNT_ID,
        callerArn: `arn:aws:sts::${DEMO_OTHER_ACCOUNT_ID}:assumed-role/${DEMO_READ_ONLY_ROLE_NAME}/backstage-demo-catalog`,
        roleArn: `arn:aws:iam::${DEMO_OTHER_ACCOUNT_ID}:role/${DEMO_READ_ONLY_ROLE_NAME}`,
        stsRegion: 'us-east-1',
        expiration: expect.any(String),
      });
    });

    it('answers 404 to the scaffolder, whose account defaults are off, for an unlisted account', async () => {
      const res = await request(await startDemo()).get(
        `${SCAFFOLDER}/whoami?accountId=${DEMO_OTHER_ACCOUNT_ID}`,
      );

      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: expect.stringMatching(
          /^There is no AWS integration that matches 777788889999: it is not one of the 2 ACTIVE accounts of the AWS organization .*aws\.accounts.*aws\.accountDefaults\.roleName/,
        ),
      });
      // The main account's ID is configured, so no STS call rules it out.
      expect(stsCalls()).toHaveLength(0);
    });

    it('uses the static keys of a static account, which do not expire', async () => {
      const res = await request(await startDemo()).get(
        `${SCAFFOLDER}/whoami?accountId=${DEMO_STATIC_ACCOUNT.accountId}`,
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
      const res = await request(await startDemo()).get(`${CATALOG}/whoami`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        account: DEMO_MAIN_ACCOUNT.accountId,
        callerArn: DEMO_MAIN_ACCOUNT.arn,
        roleArn: null,
      });
    });

    it('answers 400 for a malformed ARN', async () => {
      const res = await request(await startDemo()).get(
        `${CATALOG}/whoami?arn=not-an-arn`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: expect.stringContaining("Invalid ARN 'not-an-arn'"),
      });
      expect(stsCalls()).toHaveLength(0);
    });

    it('answers 400 for a malformed account ID or a repeated parameter', async () => {
      const server = await startDemo();

      const badId = await request(server).get(
        `${CATALOG}/whoami?accountId=12345`,
      );
      expect(badId.status).toBe(400);
      expect(badId.body.error.message).toContain(
        "Invalid AWS account ID '12345'",
      );

      const repeated = await request(server).get(
        `${CATALOG}/whoami?accountId=111122223333&accountId=444455556666`,
      );
      expect(repeated.status).toBe(400);
      expect(repeated.body.error.message).toContain("'accountId' once");
    });
  });
});
