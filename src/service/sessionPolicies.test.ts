import { MAIN_KEYS, useAwsTestEnv } from '../__testUtils__/awsTestEnv';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const POLICY = '{"Version":"2012-10-17","Statement":[]}';

describe('session policies and source identity without a chain', () => {
  const env = useAwsTestEnv();

  it("sends a plugin's Policy, PolicyArns and SourceIdentity on the one AssumeRole, signed by the main account", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount: MAIN_KEYS,
        accounts: [{ accountId: '333333333333', roleName: 'reader' }],
        plugins: {
          catalog: {
            sessionPolicy: POLICY,
            sessionPolicyArns: [READ_ONLY],
            sourceIdentity: 'backstage-{pluginId}',
          },
        },
      },
    });
    await credentialsOf(backend.view('catalog'), { accountId: '333333333333' });
    const [call] = env.sts.callsOf('AssumeRole');
    expect(call.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: 'arn:aws:iam::333333333333:role/reader',
      RoleSessionName: 'backstage',
      SourceIdentity: 'backstage-catalog',
      Policy: POLICY,
      'PolicyArns.member.1.arn': READ_ONLY,
    });
    await backend.stop();
  });

  it('sends the policies with AssumeRoleWithWebIdentity, and no source identity (the token sets it)', async () => {
    const tokenFile = env.writeFile('token', 'a-token');
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount: MAIN_KEYS,
        accounts: [
          {
            accountId: '444444444444',
            roleName: 'web',
            webIdentityTokenFile: tokenFile,
          },
        ],
        plugins: {
          catalog: {
            sessionPolicyArns: [READ_ONLY],
            sourceIdentity: 'backstage-{pluginId}',
          },
        },
      },
    });
    await credentialsOf(backend.view('catalog'), { accountId: '444444444444' });
    const [call] = env.sts.callsOf('AssumeRoleWithWebIdentity');
    expect(call.policyArns).toEqual([READ_ONLY]);
    expect(call.sourceIdentity).toBeUndefined();
    await backend.stop();
  });
});
