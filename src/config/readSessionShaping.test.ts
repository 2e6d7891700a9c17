import { JsonObject } from '@backstage/config';
import { messageOf, problemsOf } from './__testUtils__/configProblems';
import { readAwsBlock } from './readAwsIntegrationConfig';

const HUB = 'arn:aws:iam::222222222222:role/BackstageHub';
const HUB_EXTERNAL_ID = 'leak-check-hub-external-id-42';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
};
const COMPACT = JSON.stringify(POLICY);

const role = { roleName: 'reader' };

function onAccount(settings: JsonObject) {
  return { accounts: [{ accountId: '111111111111', ...role, ...settings }] };
}

/** A policy whose compact JSON is exactly `length` characters long. */
function policyOfLength(length: number) {
  const base = JSON.stringify({ Version: '2012-10-17', Sid: '' });
  return { Version: '2012-10-17', Sid: 'x'.repeat(length - base.length) };
}

describe('readAwsIntegrationConfig: session shaping', () => {
  it('reads assumeRoleChain, sessionPolicy, sessionPolicyArns and sourceIdentity on accounts, accountDefaults and aws.plugins.<id>', () => {
    const shaping = {
      assumeRoleChain: [{ roleArn: HUB, externalId: HUB_EXTERNAL_ID }],
      sessionPolicy: POLICY,
      sessionPolicyArns: [READ_ONLY],
      sourceIdentity: 'backstage-{pluginId}',
    };
    const config = readAwsBlock({
      accountDefaults: { ...role, ...shaping },
      accounts: [{ accountId: '111111111111', ...role, ...shaping }],
      plugins: {
        catalog: {
          sessionPolicy: COMPACT,
          sessionPolicyArns: [READ_ONLY],
          sourceIdentity: 'cat',
          accountDefaults: { ...role, ...shaping },
          accounts: [{ accountId: '333333333333', ...role, ...shaping }],
        },
      },
    });
    const read = {
      assumeRoleChain: [{ roleArn: HUB, externalId: HUB_EXTERNAL_ID }],
      sessionPolicy: COMPACT,
      sessionPolicyArns: [READ_ONLY],
      sourceIdentity: 'backstage-{pluginId}',
    };
    expect(config.accountDefaults).toMatchObject(read);
    expect(config.accounts[0]).toMatchObject(read);
    expect(config.plugins!.catalog).toMatchObject({
      sessionPolicy: COMPACT,
      sessionPolicyArns: [READ_ONLY],
      sourceIdentity: 'cat',
      accountDefaults: read,
      accounts: [read],
    });
  });

  it('sends a policy given as a JSON string as compact JSON, whitespace removed', () => {
    const config = readAwsBlock(
      onAccount({ sessionPolicy: JSON.stringify(POLICY, null, 2) }),
    );
    expect(config.accounts[0].sessionPolicy).toBe(COMPACT);
  });

  it('takes an inline policy of 2,048 characters as compact JSON, and refuses 2,049 with the key path', () => {
    expect(
      problemsOf(onAccount({ sessionPolicy: policyOfLength(2048) })),
    ).toEqual([]);
    expect(
      problemsOf({
        plugins: { catalog: { sessionPolicy: policyOfLength(2049) } },
      }),
    ).toEqual([
      'aws.plugins.catalog.sessionPolicy: is 2049 characters long as compact JSON; STS takes an inline session policy of at most 2048, so shorten it or use managed policies (sessionPolicyArns)',
    ]);
  });

  it('refuses a policy string that is not JSON, a policy that is not an object, and non-ASCII characters', () => {
    expect(
      problemsOf({
        accountDefaults: { ...role, sessionPolicy: '{"Version":' },
        accounts: [
          { accountId: '111111111111', ...role, sessionPolicy: '[1]' },
          { accountId: '222222222222', ...role, sessionPolicy: { Sid: 'é' } },
        ],
      }),
    ).toEqual([
      'aws.accountDefaults.sessionPolicy: is a string that is not valid JSON; give the policy as an object, or as a JSON string of one',
      'aws.accounts[0].sessionPolicy: must be a policy document (an object with Version and Statement), or a JSON string of one, not a list',
      'aws.accounts[1].sessionPolicy: has characters STS refuses in a policy ("é"); use ASCII characters only',
    ]);
  });

  it('takes 10 managed policy ARNs and refuses 11, and names each ARN that is not one', () => {
    const arns = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `arn:aws:iam::111111111111:policy/p${i}`,
      );
    expect(problemsOf(onAccount({ sessionPolicyArns: arns(10) }))).toEqual([]);
    expect(problemsOf(onAccount({ sessionPolicyArns: arns(11) }))).toEqual([
      'aws.accounts[0].sessionPolicyArns: has 11 ARNs; STS takes at most 10 managed session policies, so remove some',
    ]);
    expect(
      problemsOf({
        plugins: {
          catalog: {
            sessionPolicyArns: [READ_ONLY, 'ReadOnlyAccess', 42] as any,
          },
          scaffolder: { sessionPolicyArns: READ_ONLY },
        },
      }),
    ).toEqual([
      "aws.plugins.catalog.sessionPolicyArns[1]: 'ReadOnlyAccess' is not a managed policy ARN; use arn:<partition>:iam::<account ID or aws>:policy/<name>, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess",
      'aws.plugins.catalog.sessionPolicyArns[2]: a number is not a managed policy ARN; use arn:<partition>:iam::<account ID or aws>:policy/<name>, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws.plugins.scaffolder.sessionPolicyArns: must be a list of managed policy ARNs, not a string; e.g. sessionPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]',
    ]);
  });

  it("refuses a source identity outside STS's 2-64 characters of [\\w+=,.@-], and unknown placeholders", () => {
    expect(
      problemsOf({
        plugins: {
          a: { sourceIdentity: 'backstage {pluginId}' },
          b: { sourceIdentity: 'x'.repeat(65) },
          c: { sourceIdentity: '{pluginId}' },
          d: { sourceIdentity: 'backstage-{plugin}' },
        },
      }),
    ).toEqual([
      `aws.plugins.a.sourceIdentity: 'backstage {pluginId}' has characters STS refuses in a source identity (" "); use letters, digits, +=,.@_- and {pluginId}`,
      'aws.plugins.b.sourceIdentity: is 65 characters long; STS takes a source identity of at most 64, so shorten it',
      "aws.plugins.c.sourceIdentity: must be at least 2 characters long, even for a one-letter plugin ID (STS's minimum); e.g. backstage-{pluginId}",
      'aws.plugins.d.sourceIdentity: has the placeholder {plugin}, which is not known; the only placeholder is {pluginId}',
    ]);
  });

  it('refuses a chain that is not a non-empty list of hops with a role ARN each, naming each hop, and never quotes an external ID', () => {
    const aws = {
      accountDefaults: { ...role, assumeRoleChain: [] },
      accounts: [
        {
          accountId: '111111111111',
          ...role,
          assumeRoleChain: [
            { roleArn: HUB, externalId: HUB_EXTERNAL_ID },
            { externalId: HUB_EXTERNAL_ID },
            { roleArn: 'BackstageHub', roleName: 'x' },
            'arn',
          ],
        },
        {
          accountId: '222222222222',
          ...role,
          assumeRoleChain: { roleArn: HUB },
        },
      ],
    };
    expect(messageOf(aws)).not.toContain(HUB_EXTERNAL_ID);
    expect(problemsOf(aws)).toEqual([
      "aws.accountDefaults.assumeRoleChain: must be a non-empty list of hops, not an empty list; e.g. assumeRoleChain: [{ roleArn: 'arn:aws:iam::222222222222:role/BackstageHub' }]",
      'aws.accounts[0].assumeRoleChain[1].roleArn: is missing; every hop names the role it assumes, e.g. arn:aws:iam::222222222222:role/BackstageHub',
      'aws.accounts[0].assumeRoleChain[2].roleName: unknown key; the keys allowed here are roleArn, externalId',
      "aws.accounts[0].assumeRoleChain[2].roleArn: 'BackstageHub' is not an IAM role ARN; use arn:<partition>:iam::<12-digit account ID>:role/<name>",
      'aws.accounts[0].assumeRoleChain[3]: must be an object with roleArn (and optionally externalId), not a string',
      "aws.accounts[1].assumeRoleChain: must be a non-empty list of hops, not an object; e.g. assumeRoleChain: [{ roleArn: 'arn:aws:iam::222222222222:role/BackstageHub' }]",
    ]);
  });

  it('refuses durationSeconds above 3600 with a chain at start-up, naming the one-hour rule for chained sessions, and takes 3600', () => {
    const chain = [{ roleArn: HUB }];
    expect(
      problemsOf(onAccount({ assumeRoleChain: chain, durationSeconds: 3600 })),
    ).toEqual([]);
    expect(
      problemsOf({
        accountDefaults: {
          ...role,
          assumeRoleChain: chain,
          durationSeconds: 7200,
        },
        plugins: {
          catalog: {
            accounts: [
              {
                accountId: '111111111111',
                ...role,
                assumeRoleChain: chain,
                durationSeconds: '3601',
              },
            ],
          },
        },
      }),
    ).toEqual([
      'aws.accountDefaults.durationSeconds: is 7200, but a role reached through assumeRoleChain is a chained role session, which AWS limits to one hour; set at most 3600, or remove durationSeconds',
      'aws.plugins.catalog.accounts[0].durationSeconds: is 3601, but a role reached through assumeRoleChain is a chained role session, which AWS limits to one hour; set at most 3600, or remove durationSeconds',
    ]);
  });

  it('requires roleName for each key on accounts and account defaults, and refuses a chain or source identity with webIdentityTokenFile', () => {
    expect(
      problemsOf({
        accountDefaults: { sourceIdentity: 'backstage' },
        accounts: [
          { accountId: '111111111111', sessionPolicyArns: [READ_ONLY] },
          {
            accountId: '222222222222',
            ...role,
            webIdentityTokenFile: '/var/run/token',
            assumeRoleChain: [{ roleArn: HUB }],
            sourceIdentity: 'backstage',
          },
        ],
      }),
    ).toEqual([
      'aws.accountDefaults: has sourceIdentity but no role name; sourceIdentity only applies when a role is assumed, so add roleName or remove sourceIdentity',
      'aws.accounts[0]: has sessionPolicyArns but no role name; sessionPolicyArns only applies when a role is assumed, so add roleName or remove sessionPolicyArns',
      "aws.accounts[1].assumeRoleChain: is not allowed with webIdentityTokenFile: a chain starts from the main account or the account's own keys, so remove one of them",
      'aws.accounts[1].sourceIdentity: is not allowed with webIdentityTokenFile: AssumeRoleWithWebIdentity takes the source identity from the token, so put it in the token or remove sourceIdentity',
    ]);
  });

  it('is not a key of aws itself, of aws.mainAccount, nor assumeRoleChain of a plugin', () => {
    expect(
      problemsOf({
        sessionPolicyArns: [READ_ONLY],
        mainAccount: { sourceIdentity: 'x1' },
        plugins: { catalog: { assumeRoleChain: [{ roleArn: HUB }] } },
      }).map(p => p.split(':')[0]),
    ).toEqual([
      'aws.sessionPolicyArns',
      'aws.mainAccount.sourceIdentity',
      'aws.plugins.catalog.assumeRoleChain',
    ]);
  });
});
