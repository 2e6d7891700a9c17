import { readAwsBlock } from '../config';
import { tableRow } from './__testUtils__/runBin';
import { accountRows } from './accountRows';
import { redactDeep } from './redact';
import { formatColumns } from './renderTable';
import { renderText } from './renderText';
import { renderJson } from './renderJson';
import { CheckReport } from './types';

const MAIN_KEY = {
  accessKeyId: 'AKIAMAINKEY000000001',
  secretAccessKey: 'main-secret/0000000000000000000000000000',
};
const OWN_KEY = {
  accessKeyId: 'ASIAOWNKEY0000000002',
  secretAccessKey: 'own-secret/00000000000000000000000000000',
};
const EXTERNAL_ID = 'external-id-9f8e7d';
const SECRETS = [
  MAIN_KEY.accessKeyId,
  MAIN_KEY.secretAccessKey,
  OWN_KEY.accessKeyId,
  OWN_KEY.secretAccessKey,
  EXTERNAL_ID,
];

const AWS_BLOCK = {
  mainAccount: { ...MAIN_KEY, accountId: '111111111111' },
  accounts: [
    { accountId: '222222222222', ...OWN_KEY },
    { accountId: '333333333333', roleName: 'reader', externalId: EXTERNAL_ID },
    { accountId: '444444444444', roleName: 'writer', ...OWN_KEY },
    { accountId: '555555555555', profile: 'team' },
    {
      accountId: '666666666666',
      roleName: 'web',
      webIdentityTokenFile: '/var/run/token',
    },
  ],
  accountDefaults: { roleName: 'backstage', partition: 'aws-us-gov' },
};

function reportOf(
  extra: Partial<CheckReport> = {},
  requested: string[] = [],
): CheckReport {
  const config = readAwsBlock(AWS_BLOCK);
  return {
    configSources: ['/repo/app-config.yaml', 'env'],
    unsetVariables: [],
    problems: [],
    warnings: [],
    ...accountRows(config, 10_000, requested),
    timeoutMs: 10_000,
    probed: false,
    ok: true,
    ...extra,
  };
}

function expectNoSecret(text: string) {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
  }
}

describe('renderText, --wide: one table row per account', () => {
  const renderTable = (report: CheckReport) =>
    renderText(report, { wide: true, width: 100 });

  it('shows each account with its source, role, STS region and session, and no secret', () => {
    const text = renderTable(reportOf({}, ['777777777777']));

    expectNoSecret(text);
    expect(text).toContain(
      'Config: /repo/app-config.yaml, APP_CONFIG_* variables',
    );
    expect(tableRow(text, 'main (111111111111)')).toEqual([
      'main (111111111111)',
      'aws.mainAccount',
      'static keys AKIA…',
      '-',
      '-',
      '-',
    ]);
    expect(tableRow(text, '222222222222')[2]).toBe('static keys ASIA…');
    expect(tableRow(text, '333333333333')).toEqual([
      '333333333333',
      'aws.accounts[1]',
      "role, assumed with the main account's credentials",
      'arn:aws:iam::333333333333:role/reader',
      'us-east-1',
      'backstage, external ID',
    ]);
    expect(tableRow(text, '444444444444')[2]).toBe(
      'role, assumed with its own keys ASIA…',
    );
    expect(tableRow(text, '555555555555')[2]).toBe("profile 'team'");
    expect(tableRow(text, '666666666666')[2]).toBe(
      'web identity, token file /var/run/token',
    );
    expect(tableRow(text, '777777777777')).toEqual([
      '777777777777',
      'aws.accountDefaults',
      "role, assumed with the main account's credentials",
      'arn:aws-us-gov:iam::777777777777:role/backstage',
      'us-gov-west-1',
      'backstage',
    ]);
    expect(tableRow(text, 'any other')[3]).toBe(
      'arn:aws-us-gov:iam::{accountId}:role/backstage',
    );
    expect(text).toMatch(/STS endpoints:\n {2}us-east-1 at https:\/\/sts/);
    expect(text).toContain('us-gov-west-1 at https://sts.us-gov-west-1');
  });

  it('lines up the columns', () => {
    expect(
      formatColumns([
        ['A', 'BB', 'C'],
        ['long cell', 'x', 'last'],
      ]),
    ).toEqual(['A          BB  C', 'long cell  x   last']);
  });

  it('adds the probe result, expiry and caller ARN, and lists failures with their fix', () => {
    const report = reportOf({ probed: true, ok: false });
    const [main, first, second] = report.accounts;
    main.probe = {
      ok: true,
      callerArn: 'arn:aws:iam::111111111111:user/backstage',
      callerAccount: '111111111111',
    };
    first.probe = {
      ok: true,
      callerArn: 'arn:aws:iam::222222222222:user/own',
      callerAccount: '222222222222',
      expiration: '2030-01-02T03:04:05.000Z',
    };
    second.probe = {
      ok: false,
      code: 'AccessDenied',
      message: 'Could not obtain AWS credentials for account 333333333333',
      fix: 'allow it in the trust policy',
    };

    const text = renderTable(report);

    expect(tableRow(text, 'main (111111111111)').slice(6)).toEqual([
      'ok',
      '-',
      'arn:aws:iam::111111111111:user/backstage',
    ]);
    expect(tableRow(text, '222222222222').slice(6)).toEqual([
      'ok',
      '2030-01-02T03:04:05Z',
      'arn:aws:iam::222222222222:user/own',
    ]);
    expect(tableRow(text, '333333333333').slice(6)).toEqual([
      'AccessDenied',
      '-',
      '-',
    ]);
    expect(text).toContain(
      [
        'Failures:',
        '  333333333333 (aws.accounts[1]): AccessDenied',
        '    Could not obtain AWS credentials for account 333333333333',
        '    Fix: allow it in the trust policy',
      ].join('\n'),
    );
    expect(text.trimEnd().split('\n').pop()).toBe('1 of 6 account(s) failed.');
  });

  it('lists every config problem with its key path instead of a table', () => {
    const text = renderTable({
      ...reportOf(),
      accounts: [],
      ok: false,
      problems: [
        'aws.accounts[0].accountId: must be a 12-digit AWS account ID',
        'aws.mainAccount: has accessKeyId but no secret access key',
      ],
    });

    expect(text).toBe(
      [
        'Config: /repo/app-config.yaml, APP_CONFIG_* variables',
        'The aws block has 2 problem(s); the backend would refuse to start:',
        '  - aws.accounts[0].accountId: must be a 12-digit AWS account ID',
        '  - aws.mainAccount: has accessKeyId but no secret access key',
        '',
      ].join('\n'),
    );
  });
});

describe('renderJson', () => {
  it('is one JSON document with key prefixes of 4 characters and no secret', () => {
    const text = renderJson(reportOf());

    expectNoSecret(text);
    const document = JSON.parse(text);
    expect(document.accounts[0]).toMatchObject({
      accessKeyIdPrefix: 'AKIA',
      externalId: false,
      source: { kind: 'static', configPath: 'aws.mainAccount' },
    });
    expect(document.accounts[2]).toMatchObject({
      accountId: '333333333333',
      externalId: true,
      stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
    });
  });
});

describe('redactDeep', () => {
  it('replaces a secret quoted by a message from elsewhere', () => {
    const report = reportOf({ probed: true });
    report.accounts[1].probe = {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: `The request signature we calculated does not match; key ${OWN_KEY.accessKeyId}, secret ${OWN_KEY.secretAccessKey}`,
      fix: 'fix the keys',
    };

    const text = renderText(redactDeep(report, SECRETS), {
      wide: false,
      width: 100,
    });

    expectNoSecret(text);
    expect(text).toContain('does not match; key ****, secret ****');
  });
});
