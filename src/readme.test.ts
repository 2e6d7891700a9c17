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

/** The README as it is in the repository. */
function readReadme(): string {
  return readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
}

/** The text of a README section, from its heading to the next heading. */
function readmeSection(heading: string): string {
  const text = readReadme();
  const start = text.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + heading.length + 2);
  return rest.slice(0, rest.search(/\n#{2,3} |$/));
}

/**
 * Every ```yaml block of the README, parsed, with the heading it is under.
 * A block right after an HTML comment that starts with `<!-- fragment` is
 * not app-config (e.g. a Prometheus rule).
 */
function readmeYamlBlocks() {
  const blocks: Array<{ heading: string; fragment: boolean; config: any }> = [];
  let heading = '';
  let previous = '';
  const lines = readReadme().split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{2,3} /.test(line)) {
      heading = line;
    }
    if (line === '```yaml') {
      const end = lines.indexOf('```', i + 1);
      const yaml = lines.slice(i + 1, end).join('\n');
      blocks.push({
        heading,
        fragment: previous.startsWith('<!-- fragment'),
        // ${VAR} substitutions, as app-config would make them.
        config: parseYaml(yaml.replace(/\$\{(\w+)\}/g, 'value-of-$1')),
      });
      i = end;
    }
    if (line.trim()) {
      previous = line;
    }
  }
  return blocks;
}

/** The one app-config example under a heading of the README. */
function yamlUnder(heading: string): any {
  const found = readmeYamlBlocks().filter(
    block => block.heading === heading && !block.fragment,
  );
  expect(found).toHaveLength(1);
  return found[0].config;
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
    const config = yamlUnder('### The five ways an account gets credentials');
    const aws = readAwsIntegrationConfig(new ConfigReader(config.aws));
    expect(aws.accounts.map(a => a.accountId)).toEqual([
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(config),
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

  it('has app-config examples that are all valid, and marks the other yaml blocks as fragments', () => {
    const blocks = readmeYamlBlocks();
    const examples = blocks.filter(block => !block.fragment);
    expect(examples.map(block => block.heading)).toEqual([
      '### The five ways an account gets credentials',
      '### STS endpoints: LocalStack, VPC endpoints, FIPS (`aws.sts`)',
      '### A worked example: the catalog reads, the scaffolder provisions',
    ]);
    for (const { config } of examples) {
      expect(() =>
        readAwsIntegrationConfig(new ConfigReader(config.aws)),
      ).not.toThrow();
    }
    // The Prometheus rule of "Metrics" is no app-config.
    expect(blocks.filter(block => block.fragment)).toEqual([
      expect.objectContaining({ heading: '## Metrics' }),
    ]);
  });

  it('has IAM policy examples that are valid JSON', () => {
    const policies = [...readReadme().matchAll(/```json\n([\s\S]*?)```/g)].map(
      m => JSON.parse(m[1]),
    );
    expect(policies).toHaveLength(3);
    const trusted = policies.flatMap(p => p.Statement ?? []);
    expect(trusted.map(statement => statement.Action)).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
  });

  describe('"Least privilege per plugin"', () => {
    const WORKED_EXAMPLE =
      '### A worked example: the catalog reads, the scaffolder provisions';

    /** A plugin that hands out the service it was given. */
    function pluginWithAws(pluginId: string) {
      let aws: typeof awsCredentialsServiceRef.T | undefined;
      const plugin = createBackendPlugin({
        pluginId,
        register(reg) {
          reg.registerInit({
            deps: { service: awsCredentialsServiceRef },
            async init({ service }) {
              aws = service;
            },
          });
        },
      });
      return { plugin, aws: () => aws! };
    }

    /** The parameters of the latest AssumeRole call the STS received. */
    function lastAssumeRole() {
      const call = env.sts.callsOf('AssumeRole').at(-1)!;
      return {
        roleArn: call.params.RoleArn,
        roleSessionName: call.params.RoleSessionName,
        durationSeconds: call.params.DurationSeconds,
        tags: call.tags,
      };
    }

    async function startExample() {
      // The example's main account uses the default chain: here, the
      // environment's keys.
      process.env.AWS_ACCESS_KEY_ID = MAIN.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = MAIN.secretAccessKey;
      const catalog = pluginWithAws('catalog');
      const scaffolder = pluginWithAws('scaffolder');
      const techdocs = pluginWithAws('techdocs');
      await startTestBackend({
        features: [
          catalog.plugin,
          scaffolder.plugin,
          techdocs.plugin,
          mockServices.rootConfig.factory({ data: yamlUnder(WORKED_EXAMPLE) }),
        ],
      });
      return {
        catalog: catalog.aws(),
        scaffolder: scaffolder.aws(),
        techdocs: techdocs.aws(),
      };
    }

    /** Obtains the credentials of a lookup, which makes the STS call. */
    async function obtain(
      aws: typeof awsCredentialsServiceRef.T,
      accountId?: string,
    ) {
      const provider = await aws.getCredentialProvider({ accountId });
      return { provider, credentials: await provider.sdkCredentialProvider() };
    }

    it("gives the catalog the read-only role, in its session, with the plugin's tag", async () => {
      const { catalog } = await startExample();

      const { provider } = await obtain(catalog, '222222222222');

      expect(provider.roleArn).toBe(
        'arn:aws:iam::222222222222:role/BackstageReadOnly',
      );
      expect(lastAssumeRole()).toEqual({
        roleArn: 'arn:aws:iam::222222222222:role/BackstageReadOnly',
        roleSessionName: 'backstage-catalog',
        durationSeconds: undefined,
        tags: { plugin: 'catalog' },
      });
    });

    it('gives the scaffolder its provisioning role for 15 minutes, with both tags, as CloudTrail names it', async () => {
      const { scaffolder } = await startExample();

      const { credentials } = await obtain(scaffolder, '444444444444');

      expect(lastAssumeRole()).toEqual({
        roleArn: 'arn:aws:iam::444444444444:role/BackstageProvisioner',
        roleSessionName: 'backstage-scaffolder',
        durationSeconds: '900',
        tags: { plugin: 'scaffolder', access: 'provisioning' },
      });
      const sts = new STSClient({ region: 'us-east-1', credentials });
      const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      expect(Arn).toBe(
        'arn:aws:sts::444444444444:assumed-role/BackstageProvisioner/backstage-scaffolder',
      );
    });

    it('gives any other plugin the read-only role in a session of its own', async () => {
      const { techdocs } = await startExample();

      await obtain(techdocs, '333333333333');

      expect(lastAssumeRole()).toEqual({
        roleArn: 'arn:aws:iam::333333333333:role/BackstageReadOnly',
        roleSessionName: 'backstage-techdocs',
        durationSeconds: undefined,
        tags: { plugin: 'techdocs' },
      });
    });

    it("refuses the catalog the sandbox account, with the README's message and no STS call", async () => {
      const { catalog } = await startExample();
      const message = readmeSection('### When a plugin is refused')
        .match(/```text\n([\s\S]*?)```/)![1]
        .trim()
        .replace(/\n/g, ' ');

      await expect(
        catalog.getCredentialProvider({ accountId: '444444444444' }),
      ).rejects.toMatchObject({ name: 'NotAllowedError', message });
      expect(env.sts.calls).toHaveLength(0);
    });

    it('answers the scaffolder NotFoundError outside its own account, as its defaults are off', async () => {
      const { scaffolder } = await startExample();

      await expect(
        scaffolder.getCredentialProvider({ accountId: '222222222222' }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(0);
    });

    it('refuses every plugin an account outside aws.allowedAccountIds', async () => {
      const plugins = await startExample();

      for (const aws of Object.values(plugins)) {
        await expect(
          aws.getCredentialProvider({ accountId: '999999999999' }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            'it is not in aws.allowedAccountIds',
          ),
        });
      }
      expect(env.sts.calls).toHaveLength(0);
    });

    it('never refuses the main account, which no allow-list of the example lists', async () => {
      const { catalog } = await startExample();

      const { provider, credentials } = await obtain(catalog);
      expect(provider.accountId).toBe('111111111111');
      expect(credentials.accessKeyId).toBe(MAIN.accessKeyId);
      expect(env.sts.calls).toHaveLength(0);

      // By its ID, the lookup order applies: accountDefaults come before
      // the main account, as in @backstage/integration-aws-node.
      const byId = await catalog.getCredentialProvider({
        accountId: '111111111111',
      });
      expect(byId.roleArn).toBe(
        'arn:aws:iam::111111111111:role/BackstageReadOnly',
      );
    });

    it("applies a plugin's settings to DefaultAwsCredentialsManager.fromConfig with its pluginId", async () => {
      const config = new ConfigReader(yamlUnder(WORKED_EXAMPLE));

      const catalog = DefaultAwsCredentialsManager.fromConfig(config, {
        pluginId: 'catalog',
      });
      const unnamed = DefaultAwsCredentialsManager.fromConfig(config);

      await expect(
        catalog.getCredentialProvider({ accountId: '444444444444' }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        unnamed.getCredentialProvider({ accountId: '444444444444' }),
      ).resolves.toMatchObject({
        roleArn: 'arn:aws:iam::444444444444:role/BackstageReadOnly',
      });
    });
  });
});
