// The README's snippets, run as they are written there (imports of
// 'backstage-aws-credentials' become relative imports here).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  DefaultAwsCredentialsManager,
  awsCredentialsServiceRef,
  readAwsIntegrationConfig,
} from './index';
import { awsCredentialsServiceMock } from './testUtils';
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

// README: "Read the account from an entity annotation"
async function credentialsForEntity(
  aws: typeof awsCredentialsServiceRef.T,
  entity: { metadata: { annotations?: Record<string, string> } },
) {
  const arn = entity.metadata.annotations?.['aws.amazon.com/arn'];
  const accountId = entity.metadata.annotations?.['aws.amazon.com/account-id'];
  return aws.getCredentialProvider({ accountId, arn });
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

  it('runs the plugin example against the mock', async () => {
    // README: "Test a plugin that uses it"
    await expect(
      startTestBackend({
        features: [
          myPlugin,
          mockServices.rootConfig.factory({ data: appConfig }),
          awsCredentialsServiceMock.factory({ accounts: ['222222222222'] }),
        ],
      }),
    ).rejects.toThrow(/security token included in the request is invalid/);
    // The mock's fake keys reach the (loopback) STS, which refuses them.
    expect(env.sts.calls[0].accessKeyId).toBe('MOCKACCESSKEY222222222222');
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(0);
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
