// The worked example of docs/least-privilege.md, run against the loopback
// STS: what each plugin gets, line by line as the page says; its refusal
// message; and its IAM policies.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DefaultAwsCredentialsManager,
  awsCredentialsServiceRef,
} from './index';
import { MAIN, useAwsTestEnv } from './__testUtils__/awsTestEnv';
import {
  appConfigUnder,
  codeBlocks,
  sectionOf,
} from './__testUtils__/markdownDocs';

const PAGE = 'docs/least-privilege.md';

describe('docs/least-privilege.md', () => {
  const env = useAwsTestEnv();
  const WORKED_EXAMPLE =
    '## A worked example: the catalog reads, the scaffolder provisions';
  const workedExample = () => appConfigUnder(PAGE, WORKED_EXAMPLE);

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
        mockServices.rootConfig.factory({ data: workedExample() }),
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

  it('refuses the catalog the sandbox account, with the message the page shows and no STS call', async () => {
    const { catalog } = await startExample();
    const message = sectionOf(PAGE, '## When a plugin is refused')
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
        message: expect.stringContaining('it is not in aws.allowedAccountIds'),
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
    const config = new ConfigReader(workedExample());

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

  it('has IAM policy examples that are valid JSON, each trust policy allowing sts:TagSession', () => {
    const policies = codeBlocks(PAGE)
      .filter(block => block.lang === 'json')
      .map(block => JSON.parse(block.code));
    expect(policies).toHaveLength(3);
    const trusted = policies.flatMap(p => p.Statement ?? []);
    expect(trusted.map(statement => statement.Action)).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
  });
});
