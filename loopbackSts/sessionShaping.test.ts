import { AssumeRoleCommand, AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { LoopbackSts } from './LoopbackSts';
import {
  USER,
  USER_IDENTITY,
  useLoopbackSts,
} from './__testUtils__/useLoopbackSts';

const HUB = 'arn:aws:iam::222222222222:role/hub';
const MEMBER = 'arn:aws:iam::333333333333:role/member';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

describe('loopback STS: session shaping and role chaining', () => {
  const sts = useLoopbackSts();

  async function assume(
    signer: Credentials,
    input: Partial<AssumeRoleCommandInput>,
  ) {
    const result = await sts.client(signer).send(
      new AssumeRoleCommand({
        RoleArn: HUB,
        RoleSessionName: 'backstage',
        ...input,
      }),
    );
    return {
      result,
      credentials: {
        accessKeyId: result.Credentials!.AccessKeyId!,
        secretAccessKey: result.Credentials!.SecretAccessKey!,
        sessionToken: result.Credentials!.SessionToken!,
      },
    };
  }

  /** The STS error code (and message) of an AssumeRole that must fail. */
  async function refusal(
    signer: Credentials,
    input: Partial<AssumeRoleCommandInput>,
  ): Promise<string> {
    return assume(signer, input).then(
      () => {
        throw new Error('expected STS to refuse the call');
      },
      (error: Error) => `${error.name}: ${error.message}`,
    );
  }

  it('records Policy, PolicyArns, SourceIdentity, TransitiveTagKeys, the signing key and the key issued of each AssumeRole', async () => {
    const hub = await assume(USER, {
      SourceIdentity: 'backstage-catalog',
      Tags: [{ Key: 'team', Value: 'platform' }],
      TransitiveTagKeys: ['team'],
    });
    await assume(hub.credentials, {
      RoleArn: MEMBER,
      SourceIdentity: 'backstage-catalog',
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      PolicyArns: [{ arn: READ_ONLY }],
      DurationSeconds: 3600,
    });

    const [first, second] = sts.server.callsOf('AssumeRole');
    expect(first).toMatchObject({
      accessKeyId: USER.accessKeyId,
      signerArn: USER_IDENTITY.arn,
      issuedAccessKeyId: hub.credentials.accessKeyId,
      sourceIdentity: 'backstage-catalog',
      tags: { team: 'platform' },
      transitiveTagKeys: ['team'],
    });
    expect(first.policy).toBeUndefined();
    expect(first.policyArns).toBeUndefined();
    expect(second).toMatchObject({
      accessKeyId: hub.credentials.accessKeyId,
      signerArn: 'arn:aws:sts::222222222222:assumed-role/hub/backstage',
      sourceIdentity: 'backstage-catalog',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      policyArns: [READ_ONLY],
      tags: {},
    });
    expect(second.transitiveTagKeys).toBeUndefined();
  });

  it('refuses DurationSeconds above 3600 for a session signed by a role session (role chaining), and takes it when a user signs', async () => {
    const hub = await assume(USER, { DurationSeconds: 7200 });
    expect(await refusal(hub.credentials, { DurationSeconds: 3601 })).toBe(
      'ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await expect(
      assume(hub.credentials, { DurationSeconds: 3600 }),
    ).resolves.toBeDefined();
  });

  it('refuses an inline policy of more than 2,048 characters or not JSON, and more than 10 policy ARNs', async () => {
    const statement = '{"Version":"2012-10-17","Sid":"';
    const ofLength = (n: number) =>
      `${statement}${'x'.repeat(n - statement.length - 2)}"}`;
    await expect(
      assume(USER, { Policy: ofLength(2048) }),
    ).resolves.toBeDefined();
    expect(await refusal(USER, { Policy: ofLength(2049) })).toMatch(
      /^ValidationError: .*'policy' .*less than or equal to 2048$/,
    );
    expect(await refusal(USER, { Policy: '{"Version":' })).toBe(
      'MalformedPolicyDocumentException: The policy is not in the valid JSON format.',
    );
    const arns = Array.from({ length: 11 }, (_, i) => ({
      arn: `arn:aws:iam::111111111111:policy/p${i}`,
    }));
    await expect(
      assume(USER, { PolicyArns: arns.slice(0, 10) }),
    ).resolves.toBeDefined();
    expect(await refusal(USER, { PolicyArns: arns })).toMatch(
      /^ValidationError: .*'policyArns' .*less than or equal to 10$/,
    );
  });

  it("refuses a source identity outside STS's pattern, and one that differs from the chain's; one left out is inherited", async () => {
    expect(await refusal(USER, { SourceIdentity: 'a b' })).toMatch(
      /^ValidationError: .*'sourceIdentity'/,
    );
    expect(await refusal(USER, { SourceIdentity: 'x' })).toMatch(
      /^ValidationError: .*'sourceIdentity'/,
    );
    const hub = await assume(USER, { SourceIdentity: 'backstage-catalog' });
    expect(
      await refusal(hub.credentials, {
        RoleArn: MEMBER,
        SourceIdentity: 'backstage-scaffolder',
      }),
    ).toBe(
      "ValidationError: The source identity of a role chain cannot be changed: the calling session has source identity 'backstage-catalog', and the request asks for 'backstage-scaffolder'.",
    );
    const member = await assume(hub.credentials, { RoleArn: MEMBER });
    expect(member.result.SourceIdentity).toBe('backstage-catalog');
  });

  it('refuses a later hop that re-sends an inherited transitive tag key (in any case), and transitive keys that are not tags', async () => {
    const hub = await assume(USER, {
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'env', Value: 'prod' },
      ],
      TransitiveTagKeys: ['team'],
    });
    expect(
      await refusal(hub.credentials, {
        RoleArn: MEMBER,
        Tags: [{ Key: 'Team', Value: 'other' }],
      }),
    ).toMatch(/^InvalidParameterValue: The session tag Team cannot be set/);
    // env was not transitive: a later hop may set it.
    await expect(
      assume(hub.credentials, {
        RoleArn: MEMBER,
        Tags: [{ Key: 'env', Value: 'dev' }],
      }),
    ).resolves.toBeDefined();
    expect(
      await refusal(USER, {
        Tags: [{ Key: 'team', Value: 'platform' }],
        TransitiveTagKeys: ['owner'],
      }),
    ).toBe(
      'ValidationError: The transitive tag key owner is not one of the session tags of the request.',
    );
  });

  it('answers PackedPolicyTooLarge when policies and tags pass packedPolicyLimit', async () => {
    const server = await LoopbackSts.start({ packedPolicyLimit: 40 });
    server.addUser(USER.accessKeyId, USER.secretAccessKey, USER_IDENTITY);
    try {
      const error = await sts
        .client(USER, { endpoint: server.url })
        .send(
          new AssumeRoleCommand({
            RoleArn: HUB,
            RoleSessionName: 'backstage',
            Policy: '{"Version":"2012-10-17","Statement":[]}',
            Tags: [{ Key: 'team', Value: 'platform' }],
          }),
        )
        .catch((e: Error) => e);
      expect((error as Error).name).toBe('PackedPolicyTooLargeException');
      expect((error as Error).message).toMatch(/^Packed policy consumes \d+%/);
    } finally {
      await server.stop();
    }
  });
});
