import { stringify } from 'yaml';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { runBin } from './__testUtils__/runBin';

// `check --plugin <id>`: the config as one plugin sees it, end to end
// through the bin against the loopback STS (see check.test.ts).

describe('backstage-aws-credentials check --plugin', () => {
  const env = useAwsTestEnv();

  const aws = {
    mainAccount: {
      accountId: MAIN.accountId,
      accessKeyId: MAIN.accessKeyId,
      secretAccessKey: MAIN.secretAccessKey,
    },
    roleSessionName: 'backstage-{pluginId}',
    accounts: [{ accountId: '333333333333', roleName: 'reader' }],
    plugins: {
      scaffolder: {
        accounts: [{ accountId: '333333333333', roleName: 'provisioner' }],
      },
      catalog: { allowedAccountIds: ['444444444444'] },
    },
  };

  async function checkJson(args: string[]) {
    const config = env.writeFile('app-config.yaml', stringify({ aws }));
    const result = await runBin(
      ['check', '--probe', '--json', '--config', config, ...args],
      env.dir,
    );
    return { code: result.code, document: JSON.parse(result.stdout) };
  }

  it("probes the plugin's own role under its session name", async () => {
    const { code, document } = await checkJson(['--plugin', 'scaffolder']);
    expect(code).toBe(0);
    expect(document.accounts[1]).toMatchObject({
      accountId: '333333333333',
      source: {
        configPath: 'aws.plugins.scaffolder.accounts[0]',
        roleArn: 'arn:aws:iam::333333333333:role/provisioner',
        roleSessionName: 'backstage-scaffolder',
      },
      probe: {
        ok: true,
        callerArn:
          'arn:aws:sts::333333333333:assumed-role/provisioner/backstage-scaffolder',
      },
    });
  });

  it("fails an account the plugin's allow-list leaves out, with no STS call for it", async () => {
    const { code, document } = await checkJson(['--plugin', 'catalog']);
    expect(code).toBe(1);
    expect(document.accounts[1]).toMatchObject({
      accountId: '333333333333',
      probe: {
        ok: false,
        code: 'NotAllowedError',
        fix: expect.stringMatching(/^an allow-list leaves this account out/),
      },
    });
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(0);
  });

  it('checks the config as a manager of no plugin without --plugin', async () => {
    const { code, document } = await checkJson([]);
    expect(code).toBe(0);
    expect(document.accounts[1].probe.callerArn).toBe(
      'arn:aws:sts::333333333333:assumed-role/reader/backstage-backstage',
    );
  });
});
