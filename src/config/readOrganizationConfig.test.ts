import { problemsOf } from './__testUtils__/configProblems';
import { configWarnings } from './configWarnings';
import { readAwsBlock } from './readAwsIntegrationConfig';

const EXTERNAL_ID = 'leak-check-org-external-id';

describe('readOrganizationConfig', () => {
  it('reads every key, with the refresh in milliseconds', () => {
    const config = readAwsBlock({
      organization: {
        roleName: 'BackstageReader',
        externalId: EXTERNAL_ID,
        partition: 'aws',
        region: 'eu-west-1',
        listAccountsRoleArn:
          'arn:aws:iam::111111111111:role/org/BackstageOrgReader',
        organizationalUnitIds: ['ou-ab12-3456abcd'],
        accountTags: { backstage: 'enabled' },
        refresh: { minutes: 5 },
        endpoint: 'http://127.0.0.1:4566',
      },
    });
    expect(config.organization).toEqual({
      roleName: 'BackstageReader',
      externalId: EXTERNAL_ID,
      partition: 'aws',
      region: 'eu-west-1',
      listAccountsRoleArn:
        'arn:aws:iam::111111111111:role/org/BackstageOrgReader',
      organizationalUnitIds: ['ou-ab12-3456abcd'],
      accountTags: { backstage: 'enabled' },
      refreshMs: 300_000,
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('reads a role chain, session policies and a source identity of the member sessions, with the rules of accountDefaults', () => {
    const config = readAwsBlock({
      organization: {
        roleName: 'BackstageReader',
        assumeRoleChain: [
          { roleArn: 'arn:aws:iam::222222222222:role/BackstageHub' },
        ],
        sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        sourceIdentity: 'backstage-{pluginId}',
      },
    });
    expect(config.organization).toMatchObject({
      assumeRoleChain: [
        { roleArn: 'arn:aws:iam::222222222222:role/BackstageHub' },
      ],
      sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      sourceIdentity: 'backstage-{pluginId}',
    });
    expect(
      problemsOf({
        organization: {
          roleName: 'BackstageReader',
          assumeRoleChain: [{ roleArn: 'not-an-arn' }],
          sessionPolicyArns: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        },
      }).map(p => p.split(':')[0]),
    ).toEqual([
      'aws.organization.assumeRoleChain[0].roleArn',
      'aws.organization.sessionPolicyArns',
    ]);
  });

  it('refreshes every 60 minutes unless told otherwise, and reads string durations', () => {
    expect(
      readAwsBlock({ organization: { roleName: 'R' } }).organization,
    ).toEqual({ roleName: 'R', refreshMs: 3_600_000 });
    expect(
      readAwsBlock({ organization: { roleName: 'R', refresh: '2h' } })
        .organization?.refreshMs,
    ).toBe(7_200_000);
  });

  it('names every bad key by its path, never quoting the external ID or the endpoint', () => {
    const problems = problemsOf({
      organization: {
        externalId: EXTERNAL_ID,
        listAccountsRoleArn: 'BackstageOrgReader',
        organizationalUnitIds: ['r-ab12', 7],
        accountTags: { team: 5 },
        refresh: 'soon',
        endpoint: 'ftp://user:pw@host',
        roleNmae: 'x',
      },
    });
    expect(problems).toEqual([
      "aws.organization.roleNmae: unknown key; did you mean 'roleName'?",
      'aws.organization.roleName: is missing; name the IAM role to assume in each account of the organization, e.g. BackstageReader',
      "aws.organization.listAccountsRoleArn: 'BackstageOrgReader' is not an IAM role ARN; use one such as arn:aws:iam::111111111111:role/BackstageOrgReader",
      'aws.organization.endpoint: must start with http:// or https://, such as https://organizations.us-east-1.amazonaws.com or http://localhost:4566',
      'aws.organization.organizationalUnitIds[0]: must be an organizational unit ID such as ou-ab12-3456abcd',
      'aws.organization.organizationalUnitIds[1]: must be an organizational unit ID such as ou-ab12-3456abcd, not a number',
      'aws.organization.accountTags.team: must be a string, not a number; put the value in quotes in YAML',
      "aws.organization.refresh: is not a duration; use a string such as '60m' or an object such as { minutes: 60 }",
    ]);
    expect(problems.join('\n')).not.toContain(EXTERNAL_ID);
    expect(problems.join('\n')).not.toContain('pw@');
  });

  it('refuses an empty OU list, a zero refresh and a role name that is not one', () => {
    expect(
      problemsOf({
        organization: {
          roleName: 'role/Reader',
          organizationalUnitIds: [],
          refresh: { minutes: 0 },
        },
      }),
    ).toEqual([
      "aws.organization.roleName: 'role/Reader' is not a valid IAM role name; use 1 to 64 letters, digits or +=,.@_- (the name only, without a path or ARN)",
      'aws.organization.organizationalUnitIds: is empty, which would discover no account; list OU IDs such as ou-ab12-3456abcd, or remove the key to discover the whole organization',
      'aws.organization.refresh: must be longer than zero, e.g. { minutes: 60 }',
    ]);
  });

  it('warns of a refresh under one minute', () => {
    const config = readAwsBlock({
      organization: { roleName: 'R', refresh: { seconds: 30 } },
    });
    expect(configWarnings(config)).toEqual([
      {
        path: 'aws.organization.refresh',
        message: expect.stringMatching(
          /^aws\.organization\.refresh is under one minute \(30000 ms\)/,
        ),
      },
    ]);
    expect(
      configWarnings(readAwsBlock({ organization: { roleName: 'R' } })),
    ).toEqual([]);
  });
});
