import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { MAIN, OTHER, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import { accountBlock, BinRun, runBin } from './__testUtils__/runBin';

// `backstage-aws-credentials check` run as a user runs it: the shipped
// bin file in a child process, with app-config files, AWS_* variables and
// the exit code, against the loopback STS. The bin loads the CLI from
// source here (see __testUtils__/runFromSource.js), because `npm test`
// runs before `npm run build`; cliBuild.test.ts checks that the build
// makes the file the bin loads.

const EXTERNAL_ID = 'ext-id-4c1d-secret';

describe('backstage-aws-credentials check (the bin, end to end)', () => {
  // A child process takes seconds to start on a busy machine.
  const env = useAwsTestEnv();

  const run = (args: string[]) => runBin(args, env.dir);

  function writeConfig(aws: object, name = 'app-config.yaml'): string {
    return env.writeFile(name, stringify({ aws }));
  }

  /** Every secret the run could have seen, the loopback's session tokens too. */
  function expectNoSecret({ stdout, stderr }: BinRun) {
    const issued = env.sts.calls.flatMap(c =>
      c.sessionToken ? [c.sessionToken, c.accessKeyId!] : [],
    );
    for (const secret of [
      MAIN.accessKeyId,
      MAIN.secretAccessKey,
      OTHER.accessKeyId,
      OTHER.secretAccessKey,
      EXTERNAL_ID,
      ...issued,
    ]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  }

  const mainKeys = {
    accessKeyId: MAIN.accessKeyId,
    secretAccessKey: MAIN.secretAccessKey,
  };
  const roles = [
    { accountId: '333333333333', roleName: 'reader', externalId: EXTERNAL_ID },
    { accountId: '444444444444', roleName: 'reader' },
  ];
  const severalAccounts = {
    mainAccount: mainKeys,
    accounts: [
      {
        accountId: OTHER.accountId,
        accessKeyId: OTHER.accessKeyId,
        secretAccessKey: OTHER.secretAccessKey,
      },
      ...roles,
    ],
    accountDefaults: { roleName: 'backstage' },
  };

  it('probes every account, and an --account through accountDefaults, and exits 0', async () => {
    const config = writeConfig(severalAccounts);

    const result = await run([
      'check',
      '--probe',
      '--config',
      config,
      '--account',
      '555555555555',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Config: ${config}`);
    expect(accountBlock(result.stdout, 'main account')).toEqual({
      config: 'aws.mainAccount',
      fields: {
        credentials: 'static keys AKIA…',
        result: 'ok',
        'caller ARN': MAIN.arn,
      },
    });
    expect(accountBlock(result.stdout, OTHER.accountId).fields).toEqual({
      credentials: 'static keys AKIA…',
      result: 'ok',
      'caller ARN': OTHER.arn,
    });
    const role = accountBlock(result.stdout, '333333333333');
    expect(role).toEqual({
      config: 'aws.accounts[1]',
      fields: {
        credentials: "role, assumed with the main account's credentials",
        'role ARN': 'arn:aws:iam::333333333333:role/reader',
        'STS region': 'us-east-1',
        session: 'backstage, external ID',
        result: 'ok',
        expires: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        'caller ARN': 'arn:aws:sts::333333333333:assumed-role/reader/backstage',
      },
    });
    expect(accountBlock(result.stdout, '555555555555')).toEqual({
      config: 'aws.accountDefaults',
      fields: {
        credentials: "role, assumed with the main account's credentials",
        'role ARN': 'arn:aws:iam::555555555555:role/backstage',
        'STS region': 'us-east-1',
        session: 'backstage',
        result: 'ok',
        expires: expect.any(String),
        'caller ARN':
          'arn:aws:sts::555555555555:assumed-role/backstage/backstage',
      },
    });
    expect(accountBlock(result.stdout, 'any other account').fields.result).toBe(
      'not probed: name an account with --account <id>',
    );
    expect(result.stdout).toContain(`us-east-1 at ${env.sts.url}`);
    expect(result.stdout).toMatch(/All 5 account\(s\) work\.\n$/);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(3);
    expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(5);
    expectNoSecret(result);
  });

  it('reports AccessDenied on one account with the fix, the others still ok, and exits 1', async () => {
    const config = writeConfig(severalAccounts);
    // One worker, so the first AssumeRole is that of aws.accounts[1].
    env.sts.injectFault({ status: 403, code: 'AccessDenied' }, 1, 'AssumeRole');

    const result = await run([
      'check',
      '--probe',
      '--concurrency',
      '1',
      '--config',
      config,
    ]);

    expect(result.code).toBe(1);
    const result333 = accountBlock(result.stdout, '333333333333').fields;
    expect(result333.result).toBe('AccessDenied (see Failures below)');
    expect(result333['caller ARN']).toBeUndefined();
    expect(accountBlock(result.stdout, '444444444444').fields.result).toBe(
      'ok',
    );
    expect(accountBlock(result.stdout, OTHER.accountId).fields.result).toBe(
      'ok',
    );
    // The failures, wrapped to fit: compared with the line breaks undone.
    const failures = result.stdout.replace(/\n {6,}/g, ' ');
    expect(failures).toContain(
      '  333333333333 (aws.accounts[1]): AccessDenied\n' +
        '    Could not obtain AWS credentials for account 333333333333 by assuming role arn:aws:iam::333333333333:role/reader',
    );
    expect(failures).toContain(
      "Fix: the caller may not assume the role: allow it in the role's trust policy, give the caller sts:AssumeRole",
    );
    expect(result.stdout).toMatch(/1 of 4 account\(s\) failed\.\n$/);
    expectNoSecret(result);
  });

  it('names the code and fix of each kind of failure: timeout, keys of another account, an account nothing serves', async () => {
    const config = writeConfig({
      // With its ID, the lookup of an account nothing serves needs no STS
      // call; a timeout long enough for a busy machine, short enough for
      // the hung AssumeRole.
      mainAccount: { ...mainKeys, accountId: MAIN.accountId },
      accounts: [
        { accountId: '333333333333', roleName: 'reader' },
        {
          accountId: '999999999999',
          accessKeyId: OTHER.accessKeyId,
          secretAccessKey: OTHER.secretAccessKey,
        },
      ],
      credentialsTimeout: '3s',
    });
    env.sts.injectFault('hang', 1, 'AssumeRole');

    const result = await run([
      'check',
      '--probe',
      '--config',
      config,
      '--account',
      '555555555555',
    ]);

    expect(result.code).toBe(1);
    const resultOf = (title: string) =>
      accountBlock(result.stdout, title).fields.result;
    const text = result.stdout.replace(/\n {6,}/g, ' ');
    expect(resultOf('333333333333')).toBe('TimeoutError (see Failures below)');
    expect(text).toContain('no answer within 3000 ms');
    expect(text).toContain(
      'Fix: no answer in time: check network access to the STS endpoint shown',
    );
    expect(resultOf('999999999999')).toBe(
      'AccountMismatch (see Failures below)',
    );
    expect(text).toContain(
      `The credentials configured for account 999999999999 belong to account ${OTHER.accountId}`,
    );
    expect(resultOf('555555555555')).toBe('NotFoundError (see Failures below)');
    expect(accountBlock(result.stdout, '555555555555').fields.credentials).toBe(
      "the main account's, if this is its ID",
    );
    expect(text).toContain(
      'Fix: no config serves this account: add it to aws.accounts, or set aws.accountDefaults.roleName',
    );
    expect(resultOf('main account')).toBe('ok');
    expectNoSecret(result);
  });

  it('refuses a bad config with every problem and its key path, calls no STS, and exits 1', async () => {
    const config = writeConfig({
      mainAccount: { accessKeyId: MAIN.accessKeyId },
      accounts: [
        { accountId: '12345', roleName: 'reader' },
        { accountId: '444444444444', rolename: 'reader' },
      ],
    });

    const result = await run(['check', '--probe', '--config', config]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('The aws block has 3 problem(s)');
    expect(result.stdout).toContain('  - aws.mainAccount: has accessKeyId');
    expect(result.stdout).toContain('  - aws.accounts[0].accountId: must be');
    expect(result.stdout).toContain(
      "  - aws.accounts[1].rolename: unknown key; did you mean 'roleName'?",
    );
    expect(env.sts.calls).toHaveLength(0);
    expectNoSecret(result);
  });

  it('prints only a JSON document with --json, and progress on stderr for many accounts', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({
      accountId: String(300000000000 + i),
      roleName: 'reader',
    }));
    const config = writeConfig({ mainAccount: mainKeys, accounts: many });

    const result = await run([
      'check',
      '--probe',
      '--json',
      '--config',
      config,
    ]);

    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      ok: true,
      probed: true,
      configSources: [config],
      problems: [],
    });
    expect(document.accounts).toHaveLength(12);
    expect(document.accounts[0]).toMatchObject({
      accessKeyIdPrefix: 'AKIA',
      source: { kind: 'static', configPath: 'aws.mainAccount' },
      probe: { ok: true, callerArn: MAIN.arn, callerAccount: MAIN.accountId },
    });
    expect(document.accounts[1]).toMatchObject({
      accountId: '300000000000',
      stsEndpoint: env.sts.url,
      probe: {
        ok: true,
        callerArn: 'arn:aws:sts::300000000000:assumed-role/reader/backstage',
        expiration: expect.stringMatching(/^\d{4}-/),
      },
    });
    expect(result.stderr).toContain('Probed 12 of 12 AWS accounts');
    expectNoSecret(result);
  });

  it('reads app-config.yaml and app-config.local.yaml of the current directory without --config', async () => {
    writeConfig({ mainAccount: mainKeys });
    writeConfig(
      { accounts: [{ accountId: '333333333333', roleName: 'reader' }] },
      'app-config.local.yaml',
    );

    const result = await run(['check']);

    expect(result.code).toBe(0);
    const dir = realpathSync(env.dir); // the Backstage CLI resolves links
    expect(result.stdout).toContain(
      `Config: ${join(dir, 'app-config.yaml')}, ${join(
        dir,
        'app-config.local.yaml',
      )}`,
    );
    expect(accountBlock(result.stdout, '333333333333').fields['role ARN']).toBe(
      'arn:aws:iam::333333333333:role/reader',
    );
    expect(env.sts.calls).toHaveLength(0); // no --probe, no STS call
  });

  it('reports each unset ${VAR} of the aws and connections blocks with its key path and exits 1, in text and --json', async () => {
    const config = env.writeFile(
      'app-config.yaml',
      [
        'aws:',
        '  mainAccount:',
        `    accessKeyId: ${MAIN.accessKeyId}`,
        `    secretAccessKey: ${MAIN.secretAccessKey}`,
        '  accounts:',
        '    - accountId: "333333333333"',
        '      roleName: ${MY_ROLE}',
        '    - accountId: "444444444444"',
        '      roleName: ${OTHER_ROLE:-reader}',
        // A connection of another type: the aws block keeps its accounts.
        'connections:',
        '  - type: github',
        '    token: ${CONNECTION_TOKEN}',
        '',
      ].join('\n'),
    );

    const text = await run(['check', '--config', config]);
    const json = await run(['check', '--json', '--config', config]);

    expect(text.code).toBe(1);
    // Compared without line breaks: the text wraps at 100 columns.
    expect(text.stdout.replace(/\n {4}/g, ' ')).toContain(
      `  - aws.accounts[0].roleName: \${MY_ROLE} is not set (${config})\n` +
        `  - connections[0].token: \${CONNECTION_TOKEN} is not set (${config})`,
    );
    expect(text.stdout).not.toContain('OTHER_ROLE');
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.ok).toBe(false);
    expect(document.unsetVariables).toEqual([
      {
        keyPath: 'aws.accounts[0].roleName',
        variable: 'MY_ROLE',
        file: config,
      },
      {
        keyPath: 'connections[0].token',
        variable: 'CONNECTION_TOKEN',
        file: config,
      },
    ]);
    // What the backend would do: the entry names no source any more.
    expect(document.accounts[1]).toMatchObject({
      accountId: '333333333333',
      source: { kind: 'default_chain' },
    });
  });

  it('exits 2 with the usage for a malformed --account', async () => {
    const result = await run(['check', '--account', '12345']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'backstage-aws-credentials check: --account 12345 is not a 12-digit AWS account ID',
    );
    expect(result.stderr).toContain('Usage: backstage-aws-credentials check');
  });
});
