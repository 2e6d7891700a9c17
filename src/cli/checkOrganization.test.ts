import { stringify } from 'yaml';
import { LoopbackOrganization } from '../../loopbackSts';
import { MAIN, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { runBin } from './__testUtils__/runBin';

// `check` with aws.organization, end to end through the bin against the
// loopback STS, which answers the Organizations calls too.

const MEMBERS = ['333333333333', '444444444444', '555555555555'];
const DECLARED = '666666666666';

describe('backstage-aws-credentials check with aws.organization', () => {
  const env = useAwsTestEnv();

  beforeEach(() => {
    env.sts.organization = new LoopbackOrganization()
      .addAccount({ id: MAIN.accountId, name: 'management' })
      .addAccount({ id: MEMBERS[0], name: 'prod' })
      .addAccount({ id: MEMBERS[1], name: 'staging' })
      .addAccount({ id: MEMBERS[2], name: 'sandbox' })
      .addAccount({ id: DECLARED, name: 'tools' });
  });

  afterEach(() => {
    env.sts.organization = undefined;
  });

  const aws = {
    mainAccount: {
      accountId: MAIN.accountId,
      accessKeyId: MAIN.accessKeyId,
      secretAccessKey: MAIN.secretAccessKey,
    },
    accounts: [{ accountId: DECLARED, roleName: 'tools' }],
    organization: { roleName: 'OrgReader' },
  };

  async function check(args: string[]) {
    const config = env.writeFile(
      'app-config.yaml',
      stringify({
        aws: {
          ...aws,
          organization: { ...aws.organization, endpoint: env.sts.url },
        },
      }),
    );
    return runBin(['check', '--config', config, ...args], env.dir);
  }

  it('lists and probes each discovered account, main and declared ones left to their own rows (JSON)', async () => {
    const result = await check(['--probe', '--json', '--concurrency', '2']);
    const document = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(document.organization).toEqual({
      configPath: 'aws.organization',
      roleName: 'OrgReader',
      listed: true,
      accounts: MEMBERS.map((accountId, i) => ({
        accountId,
        name: ['prod', 'staging', 'sandbox'][i],
        roleArn: `arn:aws:iam::${accountId}:role/OrgReader`,
        probe: {
          ok: true,
          callerArn: expect.stringMatching(
            new RegExp(`^arn:aws:sts::${accountId}:assumed-role/OrgReader/`),
          ),
          callerAccount: accountId,
          expiration: expect.any(String),
        },
      })),
    });
    expect(env.sts.callsOf('ListAccounts')).toHaveLength(1);
    const assumed = env.sts.callsOf('AssumeRole').map(c => c.params.RoleArn);
    expect(assumed.sort()).toEqual([
      ...MEMBERS.map(id => `arn:aws:iam::${id}:role/OrgReader`),
      `arn:aws:iam::${DECLARED}:role/tools`,
    ]);
  });

  it('shows the count and a line per account within 100 columns, and the summary counts them', async () => {
    const result = await check(['--probe']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const at = lines.indexOf(
      'Organization (aws.organization): role OrgReader in each account',
    );
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 7)).toEqual([
      "  listed with the main account's credentials",
      '  3 account(s) discovered',
      '  ACCOUNT       NAME     OU  RESULT',
      '  333333333333  prod     -   ok',
      '  444444444444  staging  -   ok',
      '  555555555555  sandbox  -   ok',
    ]);
    expect(result.stdout).toContain('All 5 account(s) work.');
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
  });

  it('adds tags, expiry and caller ARN with --wide', async () => {
    const result = await check(['--probe', '--wide']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ {2}ACCOUNT +NAME +OU +TAGS +RESULT +EXPIRES +CALLER ARN$/m,
    );
    expect(result.stdout).toMatch(
      /^ {2}333333333333 +prod +- +- +ok +\S+Z +arn:aws:sts::333333333333:assumed-role\/OrgReader\/\S+$/m,
    );
  });

  it('lists the organization without --probe too: the count and a line per account, with no AssumeRole', async () => {
    const result = await check([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  3 account(s) discovered');
    for (const accountId of MEMBERS) {
      expect(result.stdout).toContain(accountId);
    }
    expect(env.sts.callsOf('ListAccounts').length).toBeGreaterThan(0);
    expect(env.sts.callsOf('AssumeRole')).toEqual([]);
  });

  it('fails without --probe when the organization cannot be listed', async () => {
    env.sts.injectFault(
      { status: 400, code: 'AccessDeniedException', message: 'not allowed' },
      Infinity,
      'ListAccounts',
    );
    const result = await check([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '  Could not list its accounts: AccessDeniedException',
    );
  });

  it('fails with the code, message and fix when the organization cannot be listed', async () => {
    env.sts.injectFault(
      { status: 400, code: 'AccessDeniedException', message: 'not allowed' },
      Infinity,
      'ListAccounts',
    );
    const result = await check(['--probe']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '  Could not list its accounts: AccessDeniedException',
    );
    // Long lines are wrapped to 100 columns: read them as one.
    const text = result.stdout.replace(/\n +/g, ' ');
    expect(text).toMatch(
      /organizations:ListAccounts failed.*AccessDeniedException: not allowed/,
    );
    expect(text).toMatch(/Fix: the listing role may not list/);
    expect(result.stdout).toContain(
      'The organization could not be listed; the other 2 account(s) work.',
    );
  });

  it('fails a discovered account whose role cannot be assumed, with its code and fix (JSON)', async () => {
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied', message: 'no trust' },
      Infinity,
      'AssumeRole',
    );
    const result = await check(['--probe', '--json']);
    expect(result.code).toBe(1);
    const { organization } = JSON.parse(result.stdout);
    expect(organization.accounts[0].probe).toMatchObject({
      ok: false,
      code: 'AccessDenied',
      fix: expect.stringMatching(/^the caller may not assume the role/),
    });
  });
});
