// The README's snippets, run as they are written there (imports of
// 'backstage-aws-credentials' become relative imports here).
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import { Router } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  DefaultAwsCredentialsManager,
  awsCredentialsServiceRef,
  readAwsIntegrationConfig,
} from './index';
import { awsCredentialsServiceMock, mockAwsCredentials } from './testUtils';
import { MAIN, useAwsTestEnv } from './__testUtils__/awsTestEnv';

const answers: Array<string | undefined> = [];

// README: "Use it in a plugin"
const myPlugin = createBackendPlugin({
  pluginId: 'my-plugin',
  register(env) {
    env.registerInit({
      deps: {
        aws: awsCredentialsServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ aws, config }) {
        const accountId = config.getString('myPlugin.awsAccountId');
        const { sdkCredentialProvider, stsRegion } =
          await aws.getCredentialProvider({ accountId });

        // Style 1: the client caches what the provider returns.
        const sts = new STSClient({
          region: stsRegion ?? 'us-east-1',
          credentials: sdkCredentialProvider,
        });
        const { Account } = await sts.send(new GetCallerIdentityCommand({}));

        // Style 2: as documented by @backstage/integration-aws-node; just as
        // cheap here, because the provider caches on its own.
        const sts2 = new STSClient({
          region: stsRegion ?? 'us-east-1',
          credentialDefaultProvider: () => sdkCredentialProvider,
        });
        const again = await sts2.send(new GetCallerIdentityCommand({}));
        answers.push(Account, again.Account);
      },
    });
  },
});

// README: "Test a plugin that uses it", the plugin
const bucketsPlugin = createBackendPlugin({
  pluginId: 'buckets',
  register(env) {
    env.registerInit({
      deps: {
        aws: awsCredentialsServiceRef,
        httpRouter: coreServices.httpRouter,
      },
      async init({ aws, httpRouter }) {
        const router = Router();
        router.get('/:accountId', async (req, res, next) => {
          try {
            const { sdkCredentialProvider } = await aws.getCredentialProvider({
              accountId: req.params.accountId,
            });
            const s3 = new S3Client({
              region: 'us-east-1',
              credentials: sdkCredentialProvider,
            });
            const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
            res.json(Buckets.map(bucket => bucket.Name));
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

// README: "Read the account from an entity annotation"
async function credentialsForEntity(
  aws: typeof awsCredentialsServiceRef.T,
  entity: { metadata: { annotations?: Record<string, string> } },
) {
  const arn = entity.metadata.annotations?.['aws.amazon.com/arn'];
  const accountId = entity.metadata.annotations?.['aws.amazon.com/account-id'];
  return aws.getCredentialProvider({ accountId, arn });
}

/** A ts snippet's code without its imports: one trimmed line per entry. */
function codeLines(source: string): string[] {
  return source
    .replace(/^import [\s\S]*?;$/gm, '')
    .split('\n')
    .map(line => line.trim().replace(/^export /, ''))
    .filter(Boolean);
}

describe('README', () => {
  const env = useAwsTestEnv();

  const appConfig = {
    aws: {
      mainAccount: {
        accessKeyId: MAIN.accessKeyId,
        secretAccessKey: MAIN.secretAccessKey,
      },
      accounts: [{ accountId: '222222222222', roleName: 'backstage-reader' }],
      accountDefaults: { roleName: 'backstage-reader' },
    },
    myPlugin: { awsAccountId: '222222222222' },
  };

  beforeEach(() => {
    answers.length = 0;
  });

  it('runs the plugin example against the service, one AssumeRole for both clients', async () => {
    await startTestBackend({
      features: [
        myPlugin,
        mockServices.rootConfig.factory({ data: appConfig }),
      ],
    });
    expect(answers).toEqual(['222222222222', '222222222222']);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  describe('"Test a plugin that uses it"', () => {
    const s3 = mockClient(S3Client);

    beforeEach(() => s3.reset());
    afterAll(() => s3.restore());

    it('lists the buckets of the requested account with its credentials', async () => {
      const used: string[] = [];
      s3.on(ListBucketsCommand).callsFake(async (_input, getClient) => {
        const credentials = await getClient().config.credentials();
        used.push(credentials.accessKeyId);
        return { Buckets: [{ Name: 'reports' }] };
      });
      const { server } = await startTestBackend({
        features: [
          bucketsPlugin,
          awsCredentialsServiceMock.factory({
            accounts: ['111111111111', '222222222222'],
          }),
        ],
      });

      const res = await request(server).get('/api/buckets/222222222222');

      expect(res.body).toEqual(['reports']);
      expect(used).toEqual([mockAwsCredentials('222222222222').accessKeyId]);
      // An account the mock does not know is a NotFoundError, served as a 404.
      await request(server).get('/api/buckets/999999999999').expect(404);

      // Beyond the README: the fake keys went nowhere.
      expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(1);
      expect(env.sts.calls).toHaveLength(0);
    });

    it('runs the example as the README shows it', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const section = readme
        .split('\n## Test a plugin that uses it\n')[1]
        .split('\n## ')[0];
      const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(m =>
        codeLines(m[1]),
      );
      expect(snippets).toHaveLength(2);
      const here = codeLines(readFileSync(__filename, 'utf8'));
      for (const snippet of snippets) {
        // Every line of the snippet, in order, in this file.
        let at = 0;
        const missing = snippet.filter(line => {
          const found = here.indexOf(line, at);
          at = found < 0 ? at : found + 1;
          return found < 0;
        });
        expect(missing).toEqual([]);
      }
    });
  });

  it('resolves accounts from entity annotations', async () => {
    const aws = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(appConfig),
    );
    const byArn = await credentialsForEntity(aws, {
      metadata: {
        annotations: {
          'aws.amazon.com/arn':
            'arn:aws:lambda:eu-west-1:444444444444:function:f',
        },
      },
    });
    expect(byArn.roleArn).toBe(
      'arn:aws:iam::444444444444:role/backstage-reader',
    );
    const byId = await credentialsForEntity(aws, {
      metadata: {
        annotations: { 'aws.amazon.com/account-id': '222222222222' },
      },
    });
    expect(byId.accountId).toBe('222222222222');
    const none = await credentialsForEntity(aws, { metadata: {} });
    expect(none.accountId).toBeUndefined();
  });

  it('has a config example that is valid and resolves as the README says', async () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m =>
      // ${VAR} substitutions, as app-config would make them.
      parseYaml(m[1].replace(/\$\{(\w+)\}/g, 'value-of-$1')),
    );
    expect(blocks).toHaveLength(1);
    const aws = readAwsIntegrationConfig(new ConfigReader(blocks[0].aws));
    expect(aws.accounts.map(a => a.accountId)).toEqual([
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(blocks[0]),
    );
    await expect(
      manager.getCredentialProvider({ accountId: '444444444444' }),
    ).resolves.toMatchObject({ stsRegion: 'us-gov-west-1' });
    await expect(
      manager.getCredentialProvider({ accountId: '999999999999' }),
    ).resolves.toMatchObject({
      roleArn: 'arn:aws:iam::999999999999:role/backstage-reader',
    });
  });
});
