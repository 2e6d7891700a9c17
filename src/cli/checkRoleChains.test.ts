import { stringify } from 'yaml';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { runBin, tableRow } from './__testUtils__/runBin';

// `check` of role chains, session policies and source identity, end to
// end through the bin against the loopback STS (see check.test.ts).

const HUB = 'arn:aws:iam::222222222222:role/BackstageHub';
const MEMBER = 'arn:aws:iam::333333333333:role/BackstageReader';

describe('backstage-aws-credentials check: role chains and session shaping', () => {
  const env = useAwsTestEnv();

  const aws = {
    mainAccount: {
      accountId: MAIN.accountId,
      accessKeyId: MAIN.accessKeyId,
      secretAccessKey: MAIN.secretAccessKey,
    },
    accounts: [
      {
        accountId: '333333333333',
        roleName: 'BackstageReader',
        assumeRoleChain: [{ roleArn: HUB, externalId: 'hub-external-id-7' }],
      },
    ],
    plugins: {
      catalog: {
        sourceIdentity: 'backstage-{pluginId}',
        sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        sessionPolicy: { Version: '2012-10-17', Statement: [] },
      },
    },
  };

  async function check(args: string[]) {
    const config = env.writeFile('app-config.yaml', stringify({ aws }));
    return runBin(['check', '--config', config, ...args], env.dir);
  }

  it("shows each account's chain, source identity and policies, in blocks and --wide's table, and --probe proves every hop", async () => {
    const result = await check(['--probe', '--wide', '--plugin', 'catalog']);
    expect(result.code).toBe(0);
    expect(tableRow(result.stdout, '333333333333')[5]).toBe(
      'backstage, source identity backstage-catalog, policies ReadOnlyAccess, inline policy 39 chars',
    );
    expect(result.stdout).toContain(
      `Role chains:\n  333333333333: ${HUB} (ok) → ${MEMBER} (ok)\n`,
    );
    expect(result.stdout).not.toContain('hub-external-id-7');

    const blocks = await check(['--plugin', 'catalog']);
    expect(blocks.stdout).toContain(
      '  session      backstage, source identity backstage-catalog, policies ReadOnlyAccess, inline policy\n' +
        '               39 chars\n',
    );
  }, 30_000);

  const refuseFirstAssumeRole = () =>
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied', message: 'not authorized' },
      1,
      'AssumeRole',
    );

  it('names the hop that failed, and the hops not reached, in the table', async () => {
    refuseFirstAssumeRole();
    const table = await check(['--probe', '--wide']);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(
      `  333333333333: ${HUB} (failed) → ${MEMBER} (not reached)\n`,
    );
    expect(table.stdout).toContain(
      `hop 1 of 2, ${HUB}, failed: the trust policy of ${HUB} must allow sts:AssumeRole by the main account's credentials`,
    );
  }, 30_000);

  it('names the hop that failed, and the hops not reached, in the JSON document', async () => {
    refuseFirstAssumeRole();
    const json = JSON.parse((await check(['--probe', '--json'])).stdout);
    expect(json.accounts[1]).toMatchObject({
      source: { roleChain: [HUB], roleArn: MEMBER },
      probe: {
        ok: false,
        code: 'AccessDenied',
        hops: [
          { roleArn: HUB, result: 'failed' },
          { roleArn: MEMBER, result: 'not reached' },
        ],
      },
    });
  }, 30_000);
});
