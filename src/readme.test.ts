// The README's snippets, run as they are written there (imports of
// 'backstage-aws-credentials' become relative imports here), and its
// statements about the package checked against package.json and CI.
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
} from './index';
import { awsCredentialsServiceMock, mockAwsCredentials } from './testUtils';
import { MAIN, useAwsTestEnv } from './__testUtils__/awsTestEnv';
import {
  REPO_ROOT,
  codeBlocks,
  readDoc,
  sectionOf,
} from './__testUtils__/markdownDocs';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

const answers: Array<string | undefined> = [];

// README: "Use it in a plugin"
const myPlugin = createBackendPlugin({
  pluginId: 'my-plugin',
  register(env) {
    env.registerInit({
      deps: { aws: awsCredentialsServiceRef, config: coreServices.rootConfig },
      async init({ aws, config }) {
        const accountId = config.getString('myPlugin.awsAccountId');
        const { sdkCredentialProvider, stsRegion } =
          await aws.getCredentialProvider({ accountId });

        // Either style costs one STS call per account per credential lifetime.
        const sts = new STSClient({
          region: stsRegion ?? 'us-east-1',
          credentials: sdkCredentialProvider,
        });
        const sts2 = new STSClient({
          region: stsRegion ?? 'us-east-1',
          credentialDefaultProvider: () => sdkCredentialProvider,
        });
        // ...
        const { Account } = await sts.send(new GetCallerIdentityCommand({}));
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

// README: "Use it in a plugin", reading the account from an annotation
async function credentialsForEntity(
  aws: typeof awsCredentialsServiceRef.T,
  entity: { metadata: { annotations?: Record<string, string> } },
) {
  const arn = entity.metadata.annotations?.['aws.amazon.com/arn'];
  const accountId = entity.metadata.annotations?.['aws.amazon.com/account-id'];
  const { sdkCredentialProvider } = await aws.getCredentialProvider({
    accountId,
    arn,
  });
  return sdkCredentialProvider();
}

/** A ts snippet's code without its imports: one trimmed line per entry. */
function codeLines(source: string): string[] {
  return source
    .replace(/^import [\s\S]*?;$/gm, '')
    .split('\n')
    .map(line => line.trim().replace(/^export /, ''))
    .filter(Boolean);
}

/** The lines of the README's snippets under a heading that this file lacks. */
function linesNotHere(heading: string, snippets: number): string[][] {
  const blocks = codeBlocks('README.md').filter(
    block => block.heading === heading && block.lang === 'ts',
  );
  expect(blocks).toHaveLength(snippets);
  const here = codeLines(readFileSync(__filename, 'utf8'));
  return blocks.map(block => {
    // Every line of the snippet, in order, in this file.
    let at = 0;
    return codeLines(block.code).filter(line => {
      const found = here.indexOf(line, at);
      at = found < 0 ? at : found + 1;
      return found < 0;
    });
  });
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

  it('shows the set-up commands of the demo and of the tests, which package.json runs', () => {
    const commands = codeBlocks('README.md')
      .filter(block => block.lang === 'sh')
      .map(block => block.code.trim());

    expect(commands).toEqual(
      expect.arrayContaining(['npm ci && npm start', 'npm ci && npm test']),
    );
    expect(pkg.scripts.start).toBe('backstage-cli package start');
    expect(pkg.scripts.test).toMatch(/backstage-cli package test/);
  });

  it('names Node.js 22 and 24 as supported, as engines and CI say', () => {
    const readme = readDoc('README.md');
    expect(readme).toContain('- Node.js 22 or 24.');
    expect(readme).toContain('Supported: Node.js 22 and 24');
    expect(pkg.engines).toEqual({ node: '>=22' });
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('run "jest on Node 22" jest_on_node 22');
    expect(ci).toContain('run "jest on Node 24" jest_on_node 24');
  });

  it('says the package needs no peer dependency but the optional one of the mock', () => {
    const peers = Object.keys(pkg.peerDependencies);
    expect(peers).toEqual(['@backstage/backend-test-utils']);
    for (const peer of peers) {
      expect(pkg.peerDependenciesMeta[peer]).toEqual({ optional: true });
    }
    expect(
      sectionOf('README.md', '## Quick start').replace(/\s+/g, ' '),
    ).toContain(
      'It needs no peer dependency; `@backstage/backend-test-utils` is an optional one',
    );
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

  it('resolves accounts from entity annotations, an account ID winning over an ARN', async () => {
    const aws = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(appConfig),
    );
    const roleOfLastCall = () =>
      env.sts.callsOf('AssumeRole').at(-1)?.params.RoleArn;

    await credentialsForEntity(aws, {
      metadata: {
        annotations: {
          'aws.amazon.com/arn':
            'arn:aws:lambda:eu-west-1:444444444444:function:f',
        },
      },
    });
    expect(roleOfLastCall()).toBe(
      'arn:aws:iam::444444444444:role/backstage-reader',
    );
    await credentialsForEntity(aws, {
      metadata: {
        annotations: {
          'aws.amazon.com/account-id': '222222222222',
          'aws.amazon.com/arn': 'arn:aws:sqs:eu-west-1:444444444444:q',
        },
      },
    });
    expect(roleOfLastCall()).toBe(
      'arn:aws:iam::222222222222:role/backstage-reader',
    );
    const calls = env.sts.calls.length;
    const none = await credentialsForEntity(aws, { metadata: {} });
    expect(none.accessKeyId).toBe(MAIN.accessKeyId);
    expect(env.sts.calls).toHaveLength(calls);
  });

  it('shows the plugin and annotation examples as this file runs them', () => {
    expect(linesNotHere('## Use it in a plugin', 2)).toEqual([[], []]);
  });

  describe('"A config example"', () => {
    /** The example, with the variables of the environment it would run in. */
    function example() {
      const [block] = codeBlocks('README.md').filter(
        b => b.heading === '## A config example' && b.lang === 'yaml',
      );
      const vars: Record<string, string> = {
        AWS_ACCESS_KEY_ID: MAIN.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MAIN.secretAccessKey,
        AWS_EXTERNAL_ID: 'the-external-id',
      };
      return parseYaml(block.code.replace(/\$\{(\w+)\}/g, (_, v) => vars[v]));
    }

    it('assumes the listed role with the main keys and the external ID', async () => {
      const aws = DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(example()),
      );

      const provider = await aws.getCredentialProvider({
        accountId: '222222222222',
      });
      await provider.sdkCredentialProvider();

      expect(provider.roleArn).toBe(
        'arn:aws:iam::222222222222:role/backstage-reader',
      );
      const [call] = env.sts.callsOf('AssumeRole');
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
      expect(call.params.ExternalId).toBe('the-external-id');
    });

    it('serves every other account and the main account as the README says', async () => {
      const aws = DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(example()),
      );

      await expect(
        aws.getCredentialProvider({ accountId: '444444444444' }),
      ).resolves.toMatchObject({
        roleArn: 'arn:aws:iam::444444444444:role/backstage-reader',
      });
      const main = await aws.getCredentialProvider();
      expect(main.roleArn).toBeUndefined();
      await expect(main.sdkCredentialProvider()).resolves.toMatchObject({
        accessKeyId: MAIN.accessKeyId,
      });
    });

    it('makes the backend log the start-up line that "Quick start" shows', async () => {
      const [shown] = codeBlocks('README.md').filter(
        b => b.heading === '## Quick start' && b.lang === 'text',
      );
      const rootLogger = mockServices.rootLogger.mock();
      rootLogger.child.mockReturnValue(rootLogger);

      await startTestBackend({
        features: [
          myPlugin,
          mockServices.rootConfig.factory({
            data: { ...example(), myPlugin: { awsAccountId: '222222222222' } },
          }),
          rootLogger.factory,
        ],
      });

      expect(rootLogger.info).toHaveBeenCalledWith(
        shown.code.trim(),
        expect.anything(),
      );
    });
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
      expect(linesNotHere('## Test a plugin that uses it', 2)).toEqual([
        [],
        [],
      ]);
    });
  });
});
