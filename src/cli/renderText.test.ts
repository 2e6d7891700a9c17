import { readAwsBlock } from '../config';
import { accountBlock } from './__testUtils__/runBin';
import { accountRows } from './accountRows';
import { renderText } from './renderText';
import { CheckReport } from './types';

const MAIN_KEY = {
  accessKeyId: 'AKIAMAINKEY000000001',
  secretAccessKey: 'main-secret/0000000000000000000000000000',
};
const OWN_KEY = {
  accessKeyId: 'ASIAOWNKEY0000000002',
  secretAccessKey: 'own-secret/00000000000000000000000000000',
};
/** 64 characters, the longest role name IAM allows. */
const LONG_ROLE = `platform-engineering-${'x'.repeat(26)}-read-only-access`;

function reportOf(
  aws: object,
  extra: Partial<CheckReport> = {},
  requested: string[] = [],
  pluginId?: string,
): CheckReport {
  return {
    configSources: ['/repo/app-config.yaml', 'env'],
    unsetVariables: [],
    problems: [],
    warnings: [],
    ...accountRows(readAwsBlock(aws), 10_000, requested, pluginId),
    timeoutMs: 10_000,
    probed: false,
    ok: true,
    ...extra,
  };
}

const text = (report: CheckReport, width = 100) =>
  renderText(report, { wide: false, width });

const longestLine = (output: string) =>
  Math.max(...output.split('\n').map(line => line.length));

describe('renderText: a block per account', () => {
  it('shows each account with the fields that say something, and no secret', () => {
    const output = text(
      reportOf(
        {
          mainAccount: { ...MAIN_KEY, accountId: '111111111111' },
          accounts: [
            { accountId: '222222222222', ...OWN_KEY },
            {
              accountId: '333333333333',
              roleName: 'reader',
              externalId: 'external-id-9f8e7d',
            },
            { accountId: '444444444444', roleName: 'writer', ...OWN_KEY },
            { accountId: '555555555555', profile: 'team' },
            {
              accountId: '666666666666',
              roleName: 'web',
              webIdentityTokenFile: '/var/run/token',
            },
          ],
          accountDefaults: { roleName: 'backstage', partition: 'aws-us-gov' },
        },
        {},
        ['777777777777'],
      ),
    );

    for (const secret of [
      ...Object.values(MAIN_KEY),
      ...Object.values(OWN_KEY),
      'external-id-9f8e7d',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(accountBlock(output, 'main account (111111111111)')).toEqual({
      config: 'aws.mainAccount',
      fields: { credentials: 'static keys AKIA…' },
    });
    expect(accountBlock(output, '333333333333')).toEqual({
      config: 'aws.accounts[1]',
      fields: {
        credentials: "role, assumed with the main account's credentials",
        'role ARN': 'arn:aws:iam::333333333333:role/reader',
        'STS region': 'us-east-1',
        session: 'backstage, external ID',
      },
    });
    expect(accountBlock(output, '444444444444').fields.credentials).toBe(
      'role, assumed with its own keys ASIA…',
    );
    expect(accountBlock(output, '555555555555').fields).toEqual({
      credentials: "profile 'team'",
    });
    expect(accountBlock(output, '666666666666').fields.credentials).toBe(
      'web identity, token file /var/run/token',
    );
    expect(accountBlock(output, '777777777777')).toMatchObject({
      config: 'aws.accountDefaults',
      fields: { 'role ARN': 'arn:aws-us-gov:iam::777777777777:role/backstage' },
    });
    expect(accountBlock(output, 'any other account').fields['STS region']).toBe(
      'us-gov-west-1',
    );
    expect(output).toContain('STS endpoints:\n  us-east-1 at https://sts');
  });

  const longConfig = {
    mainAccount: MAIN_KEY,
    roleSessionName: 'backstage-{pluginId}-session-for-the-audit-trail',
    sessionTags: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`tag-key-number-${i}`, 'value']),
    ),
    accounts: Array.from({ length: 4 }, (_, i) => ({
      accountId: String(300000000000 + i),
      roleName: LONG_ROLE,
      durationSeconds: 3600,
      partition: 'aws-us-gov',
      externalId: 'an-external-id',
    })),
    accountDefaults: { roleName: LONG_ROLE },
    plugins: {
      catalog: {
        accounts: [{ accountId: '444444444444', roleName: LONG_ROLE }],
        roleSessionName: 'catalog-{pluginId}-with-a-long-session-name',
      },
      scaffolder: { allowedAccountIds: ['300000000000'] },
    },
  };

  function probedLongReport(): CheckReport {
    const report = reportOf(
      longConfig,
      { probed: true, ok: false },
      ['555555555555'],
      'catalog',
    );
    report.accounts.forEach((row, i) => {
      row.probe =
        i % 2
          ? {
              ok: true,
              callerArn: `arn:aws-us-gov:sts::${row.accountId}:assumed-role/${LONG_ROLE}/catalog-catalog-with-a-long-session-name`,
              callerAccount: row.accountId ?? '111111111111',
              expiration: '2030-01-02T03:04:05.000Z',
            }
          : {
              ok: false,
              code: 'AccessDenied',
              message: `User: arn:aws:iam::111111111111:user/backstage is not authorized to perform: sts:AssumeRole on resource: arn:aws-us-gov:iam::${
                row.accountId ?? '111111111111'
              }:role/${LONG_ROLE}`,
              fix: "the caller may not assume the role: allow it in the role's trust policy, give the caller sts:AssumeRole on the role ARN, and check the external ID",
            };
    });
    report.warnings = [
      {
        path: 'aws.plugins.scaffolder',
        message: `aws.plugins.scaffolder.allowedAccountIds lists 300000000000, which is a long warning that goes on well past the edge of the terminal window`,
      },
    ];
    return report;
  }

  it.each([100, 140])(
    'fits every line in %d columns: long role ARNs, session names, tags, caller ARNs, messages and warnings',
    width => {
      const output = text(probedLongReport(), width);

      expect(longestLine(output)).toBeLessThanOrEqual(width);
      expect(longestLine(output)).toBeGreaterThan(width - 10);
      const joined = output.replace(/\n {15}/g, '');
      expect(joined).toContain(
        `arn:aws-us-gov:sts::300000000000:assumed-role/${LONG_ROLE}/catalog-catalog-with-a-long-session-name`,
      );
      expect(joined).toContain(`arn:aws:iam::444444444444:role/${LONG_ROLE}`);
    },
  );

  it('keeps every word of a wrapped field, message and fix', () => {
    const report = probedLongReport();
    const output = text(report);

    expect(accountBlock(output, '300000000000').fields).toMatchObject({
      session: 'catalog-catalog-with-a-long-session-name, 3600 s, external ID',
      tags: Array.from({ length: 12 }, (_, i) => `tag-key-number-${i}`).join(
        ', ',
      ),
    });
    // Every character is still there once the line breaks are undone.
    const squash = (t: string) => t.replace(/\s+/g, '');
    const failures = report.accounts.flatMap(({ probe }) =>
      probe && !probe.ok ? [`${probe.message}Fix:${probe.fix}`] : [],
    );
    expect(failures).toHaveLength(4);
    for (const failure of failures) {
      expect(squash(output)).toContain(squash(failure));
    }
  });

  it('wraps each problem under its own text', () => {
    const output = text(
      reportOf(
        {},
        {
          accounts: [],
          ok: false,
          problems: [
            `aws.accounts[0].roleName: '${LONG_ROLE}x' is not a valid IAM role name; use 1 to 64 letters, digits or +=,.@_- (the name only, without a path or ARN)`,
          ],
        },
      ),
    );

    const lines = output.trimEnd().split('\n');
    expect(lines.slice(1, 2)).toEqual([
      'The aws block has 1 problem(s); the backend would refuse to start:',
    ]);
    expect(lines[2]).toMatch(/^ {2}- aws\.accounts\[0\]\.roleName: /);
    expect(lines.slice(3).every(l => l.startsWith('    '))).toBe(true);
    expect(longestLine(output)).toBeLessThanOrEqual(100);
  });
});
