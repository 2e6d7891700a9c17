import { stringify } from 'yaml';
import { MAIN, OTHER, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { BinRun, runBin, tableRow } from './__testUtils__/runBin';

// The text of `check` run as a user runs it (see check.test.ts): a block
// per account that fits 100 columns, or one table row per account with
// --wide.

const EXTERNAL_ID = 'ext-id-4c1d-wide-secret';

describe('backstage-aws-credentials check: the width of its text (the bin, end to end)', () => {
  // A child process takes seconds to start on a busy machine.
  const env = useAwsTestEnv();
  const run = (args: string[]) => runBin(args, env.dir);
  const writeConfig = (aws: object) =>
    env.writeFile('app-config.yaml', stringify({ aws }));
  const mainKeys = {
    accessKeyId: MAIN.accessKeyId,
    secretAccessKey: MAIN.secretAccessKey,
  };

  // 64 characters, the longest role name IAM allows.
  const longRole = `platform-engineering-${'x'.repeat(26)}-read-only-access`;
  const wideConfig = () =>
    writeConfig({
      mainAccount: mainKeys,
      roleSessionName: 'backstage-{pluginId}-session-for-the-audit-trail',
      sessionTags: {
        'team-responsible-for-this': 'platform',
        'cost-center-of-the-team': 'cc-1234',
        'environment-of-the-backend': 'production',
      },
      accounts: [
        {
          accountId: '333333333333',
          roleName: longRole,
          externalId: EXTERNAL_ID,
          durationSeconds: 3600,
        },
        {
          accountId: OTHER.accountId,
          accessKeyId: OTHER.accessKeyId,
          secretAccessKey: OTHER.secretAccessKey,
        },
      ],
      accountDefaults: { roleName: longRole },
      plugins: {
        catalog: {
          accounts: [{ accountId: '444444444444', roleName: longRole }],
        },
        scaffolder: {
          roleSessionName: 'scaffolder-provisioning-{pluginId}',
        },
      },
    });

  it('fits every line in 100 columns by default, long role ARNs, session names, tags and caller ARNs wrapped', async () => {
    const config = wideConfig();

    const result = await run([
      'check',
      '--probe',
      '--plugin',
      'catalog',
      '--config',
      config,
      '--account',
      '555555555555',
    ]);

    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter(line => line.length > 100)).toEqual([]);
    // Nothing is lost: the wrapped ARN reads whole once joined.
    const text = result.stdout.replace(/\n {15}/g, '');
    expect(text).toContain(`arn:aws:iam::444444444444:role/${longRole}`);
    expect(text).toContain(
      `arn:aws:sts::444444444444:assumed-role/${longRole}/backstage-catalog-session-for-the-audit-trail`,
    );
    expect(result.stdout).toContain(
      "credentials  role, assumed with the main account's credentials",
    );
    expect(result.stdout).toMatch(/All 5 account\(s\) work\.\n$/);
    expectNoSecret(result);
  });

  it('prints one row per account with --wide, as wide as it takes', async () => {
    const config = wideConfig();

    const result = await run(['check', '--wide', '--config', config]);

    expect(result.code).toBe(0);
    expect(tableRow(result.stdout, '333333333333')).toEqual([
      '333333333333',
      'aws.accounts[0]',
      "role, assumed with the main account's credentials",
      `arn:aws:iam::333333333333:role/${longRole}`,
      'us-east-1',
      'backstage-backstage-session-for-the-audit-trail, tags team-responsible-for-this,cost-center-of-the-team,environment-of-the-backend, 3600 s, external ID',
    ]);
    expect(
      Math.max(...result.stdout.split('\n').map(l => l.length)),
    ).toBeGreaterThan(200);
  });

  function expectNoSecret({ stdout, stderr }: BinRun) {
    const issued = env.sts.calls.flatMap(c =>
      c.sessionToken ? [c.sessionToken, c.accessKeyId!] : [],
    );
    for (const secret of [
      ...Object.values(mainKeys),
      OTHER.accessKeyId,
      OTHER.secretAccessKey,
      EXTERNAL_ID,
      ...issued,
    ]) {
      expect(stdout + stderr).not.toContain(secret);
    }
  }
});
