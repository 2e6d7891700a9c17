import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { ConfigSources, MutableConfigSource } from '@backstage/config-loader';
import {
  MAIN,
  MAIN_KEYS,
  OTHER,
  useAwsTestEnv,
} from '../__testUtils__/awsTestEnv';
import { settleUntil } from '../__testUtils__/fakeClock';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const HUB = 'arn:aws:iam::222222222222:role/BackstageHub';
const HUB_EXTERNAL_ID = 'hub-external-id-0042';
const ACCOUNT = '333333333333';
const MEMBER = `arn:aws:iam::${ACCOUNT}:role/BackstageReader`;
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const S3_READ = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
};

/** `n` account IDs from 400000000000 on. */
function accountIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(400_000_000_000 + i));
}

async function callerArn(credentials: AwsCredentialIdentity) {
  const sts = new STSClient({ region: 'us-east-1', credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

describe('role chains (assumeRoleChain), as STS receives them', () => {
  const env = useAwsTestEnv();
  const assumeRoles = () => env.sts.callsOf('AssumeRole');
  const callsOf = (roleArn: string) =>
    assumeRoles().filter(c => c.params.RoleArn === roleArn);

  const hubDefaults = {
    roleName: 'BackstageReader',
    assumeRoleChain: [{ roleArn: HUB, externalId: HUB_EXTERNAL_ID }],
  };

  it('assumes the hub with the main account, then the member role with the hub session: names and source identity on both, tags transitive on the first, duration and policies on the last', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount,
        roleSessionName: 'backstage-{pluginId}',
        sessionTags: { team: 'platform' },
        accountDefaults: {
          ...hubDefaults,
          durationSeconds: 1800,
          sourceIdentity: 'backstage-{pluginId}',
        },
        plugins: {
          catalog: { sessionPolicyArns: [READ_ONLY], sessionPolicy: S3_READ },
        },
      },
    });
    const credentials = await credentialsOf(backend.view('catalog'), {
      accountId: ACCOUNT,
    });

    const [hop1, hop2] = assumeRoles();
    expect(assumeRoles()).toHaveLength(2);
    expect(hop1.accessKeyId).toBe(MAIN.accessKeyId);
    expect(hop1.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: HUB,
      RoleSessionName: 'backstage-catalog',
      ExternalId: HUB_EXTERNAL_ID,
      SourceIdentity: 'backstage-catalog',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'platform',
      'TransitiveTagKeys.member.1': 'team',
    });
    expect(hop2.accessKeyId).toBe(hop1.issuedAccessKeyId);
    expect(hop2.signerArn).toBe(
      'arn:aws:sts::222222222222:assumed-role/BackstageHub/backstage-catalog',
    );
    expect(hop2.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: MEMBER,
      RoleSessionName: 'backstage-catalog',
      SourceIdentity: 'backstage-catalog',
      DurationSeconds: '1800',
      Policy: JSON.stringify(S3_READ),
      'PolicyArns.member.1.arn': READ_ONLY,
    });
    expect(await callerArn(credentials)).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/BackstageReader/backstage-catalog`,
    );
    await backend.stop();
  });

  it('signs the first hop with the account entry’s own keys when it has them', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount,
        accounts: [
          {
            accountId: ACCOUNT,
            accessKeyId: OTHER.accessKeyId,
            secretAccessKey: OTHER.secretAccessKey,
            roleName: 'BackstageReader',
            assumeRoleChain: [{ roleArn: HUB }],
          },
        ],
      },
    });
    await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
    const [hop1, hop2] = assumeRoles();
    expect([hop1.params.RoleArn, hop1.accessKeyId]).toEqual([
      HUB,
      OTHER.accessKeyId,
    ]);
    expect([hop2.params.RoleArn, hop2.accessKeyId]).toEqual([
      MEMBER,
      hop1.issuedAccessKeyId,
    ]);
    await backend.stop();
  });

  it('costs one hub AssumeRole for 300 member accounts looked up at once, every member signed by that one hub session', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: { mainAccount, accountDefaults: hubDefaults },
    });
    const ids = accountIds(300);
    await Promise.all(
      ids.map(accountId =>
        credentialsOf(backend.view('catalog'), { accountId }),
      ),
    );

    const [hub] = callsOf(HUB);
    expect(callsOf(HUB)).toHaveLength(1);
    const members = assumeRoles().filter(c => c.params.RoleArn !== HUB);
    expect(members.map(c => c.params.RoleArn).sort()).toEqual(
      ids.map(id => `arn:aws:iam::${id}:role/BackstageReader`),
    );
    expect(new Set(members.map(c => c.accessKeyId))).toEqual(
      new Set([hub.issuedAccessKeyId]),
    );
    await backend.stop();
  }, 60_000);

  it('shares the hub between plugins that differ only in policy, never the member session of different policies, and both sessions of equal ones', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder', 'techdocs'],
      aws: {
        mainAccount,
        accountDefaults: hubDefaults,
        plugins: {
          catalog: { sessionPolicyArns: [READ_ONLY] },
          techdocs: { sessionPolicyArns: [READ_ONLY] },
          scaffolder: { sessionPolicy: S3_READ },
        },
      },
    });
    const keys: Record<string, string> = {};
    for (const id of ['catalog', 'scaffolder', 'techdocs']) {
      keys[id] = (
        await credentialsOf(backend.view(id), { accountId: ACCOUNT })
      ).accessKeyId;
    }

    expect(callsOf(HUB)).toHaveLength(1);
    const members = callsOf(MEMBER);
    expect(members.map(c => [c.policyArns, c.policy])).toEqual([
      [[READ_ONLY], undefined],
      [undefined, JSON.stringify(S3_READ)],
    ]);
    expect(keys.techdocs).toBe(keys.catalog);
    expect(keys.scaffolder).not.toBe(keys.catalog);
    await backend.stop();
  });

  it("sends a plugin's policy and source identity over a global entry's, and a plugin's own entry's over the plugin's", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        accounts: [
          {
            accountId: ACCOUNT,
            roleName: 'BackstageReader',
            sessionPolicy: S3_READ,
            sourceIdentity: 'global-entry',
          },
        ],
        plugins: {
          catalog: {
            sessionPolicyArns: [READ_ONLY],
            sourceIdentity: 'plugin-{pluginId}',
          },
          scaffolder: {
            sessionPolicyArns: [READ_ONLY],
            sourceIdentity: 'plugin-{pluginId}',
            accounts: [
              {
                accountId: ACCOUNT,
                roleName: 'BackstageReader',
                sessionPolicy: S3_READ,
                sourceIdentity: 'own-entry',
              },
            ],
          },
        },
      },
    });
    for (const id of ['catalog', 'scaffolder']) {
      await credentialsOf(backend.view(id), { accountId: ACCOUNT });
    }
    expect(
      assumeRoles().map(c => [c.sourceIdentity, c.policyArns, c.policy]),
    ).toEqual([
      // The plugin's pair replaces the entry's whole: no inline policy.
      ['plugin-catalog', [READ_ONLY], undefined],
      ['own-entry', undefined, JSON.stringify(S3_READ)],
    ]);
    await backend.stop();
  });

  it('names the failing hop, its role ARN, its position and the trust policy fix; STS’s code stays the error name', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount,
        sessionTags: { team: 'platform' },
        accountDefaults: { ...hubDefaults, sourceIdentity: 'backstage' },
      },
    });
    const view = backend.view('catalog');
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied', message: 'not authorized' },
      1,
      'AssumeRole',
    );
    const hubError = await credentialsOf(view, { accountId: ACCOUNT }).catch(
      e => e,
    );
    expect(hubError.name).toBe('AccessDenied');
    expect(hubError.message).toContain(
      `by assuming role ${MEMBER} through the role chain ${HUB} → ${MEMBER}, starting with the main account's credentials through STS in us-east-1`,
    );
    expect(hubError.message).toContain(
      `hop 1 of 2, ${HUB}, failed: the trust policy of ${HUB} must allow sts:AssumeRole, sts:SetSourceIdentity (the session sets a source identity), sts:TagSession (the session carries session tags) by the main account's credentials; caused by AccessDenied: not authorized`,
    );
    expect(hubError.message).not.toContain(HUB_EXTERNAL_ID);

    // The hub works now; the next member's own role refuses.
    await credentialsOf(view, { accountId: '444444444444' });
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied', message: 'not authorized' },
      1,
      'AssumeRole',
    );
    const memberError = await credentialsOf(view, {
      accountId: ACCOUNT,
    }).catch(e => e);
    expect(memberError.name).toBe('AccessDenied');
    expect(memberError.message).toContain(
      `hop 2 of 2, ${MEMBER}, failed: the trust policy of ${MEMBER} must allow sts:AssumeRole, sts:SetSourceIdentity (the session sets a source identity), sts:TagSession (the session carries session tags) by the role of hop 1, ${HUB}; caused by AccessDenied: not authorized`,
    );
    await backend.stop();
  });

  it("names hop 1 when STS refuses the keys that sign it, and the chain's start when its credentials cannot be had", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount: {
          accessKeyId: 'AKIAUNKNOWN000000001',
          secretAccessKey: 'x'.repeat(40),
        },
        accountDefaults: hubDefaults,
      },
    });
    const refused = await credentialsOf(backend.view('catalog'), {
      accountId: ACCOUNT,
    }).catch(e => e);
    expect(refused.name).toBe('InvalidClientTokenId');
    expect(refused.message).toContain(
      `hop 1 of 2, ${HUB}, failed: STS does not accept the credentials that sign it, the main account's credentials; check them`,
    );
    await backend.stop();

    const noMain = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount: { profile: 'missing' },
        accountDefaults: hubDefaults,
      },
    });
    const unsigned = await credentialsOf(noMain.view('catalog'), {
      accountId: ACCOUNT,
    }).catch(e => e);
    expect(unsigned.message).toContain(
      "the start of the role chain failed: the credentials that sign its first hop, the main account's credentials, could not be obtained; caused by CredentialsProviderError: Could not obtain AWS credentials for the main account from profile 'missing'",
    );
    expect(callsOf(HUB)).toHaveLength(1); // only the refused one above
    await noMain.stop();
  });

  it('keeps the hub session across a reload that keeps the chain, so new member accounts cost no new hub AssumeRole', async () => {
    const source = MutableConfigSource.create({
      data: { aws: { mainAccount, accountDefaults: hubDefaults } } as any,
    });
    const config = await ConfigSources.toConfig(source);
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      config,
    });
    await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
    source.setData({
      aws: {
        mainAccount,
        accountDefaults: hubDefaults,
        accounts: [{ accountId: '555555555555', roleName: 'Other' }],
      },
    } as any);
    await settleUntil(() =>
      backend.logs.some(
        l => l.message === 'AWS credentials configuration reloaded',
      ),
    );
    await credentialsOf(backend.view('catalog'), {
      accountId: '444444444444',
    });
    expect(callsOf(HUB)).toHaveLength(1);
    expect(assumeRoles()).toHaveLength(3);
    await backend.stop();
    config.close();
  });

  it('records role-session-issued with the role chain and whether a session policy applied', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        accountDefaults: hubDefaults,
        plugins: { catalog: { sessionPolicyArns: [READ_ONLY] } },
      },
    });
    for (const id of ['catalog', 'scaffolder']) {
      await credentialsOf(backend.view(id), { accountId: ACCOUNT });
    }
    await settleUntil(() => backend.audits.length >= 2);
    expect(backend.audits.map(a => [a.pluginId, a.eventId, a.meta])).toEqual([
      [
        'catalog',
        'role-session-issued',
        expect.objectContaining({
          roleArn: MEMBER,
          roleChain: [HUB, MEMBER],
          sessionPolicy: true,
        }),
      ],
      [
        'scaffolder',
        'role-session-issued',
        expect.objectContaining({
          roleArn: MEMBER,
          roleChain: [HUB, MEMBER],
          sessionPolicy: false,
        }),
      ],
    ]);
    await backend.stop();
  });
});
