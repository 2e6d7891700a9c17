import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { AwsCredentialProvider } from '../types';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const ACCOUNT = '333333333333';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;

/** Who STS says the credentials of a provider belong to. */
async function callerArn(provider: AwsCredentialProvider) {
  const sts = new STSClient({
    region: 'us-east-1',
    credentials: provider.sdkCredentialProvider,
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

describe('per-plugin role sessions, as STS receives them', () => {
  const env = useAwsTestEnv();
  const assumeRoles = () => env.sts.callsOf('AssumeRole');
  const callFor = (sessionName: string) =>
    assumeRoles().find(c => c.params.RoleSessionName === sessionName);

  it("sends each plugin's RoleSessionName, Tags and DurationSeconds", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        roleSessionName: 'backstage-{pluginId}',
        sessionTags: { team: 'platform', plugin: '{pluginId}' },
        accounts: [
          { accountId: ACCOUNT, roleName: 'reader', durationSeconds: 1800 },
        ],
      },
    });
    for (const id of ['catalog', 'scaffolder']) {
      await credentialsOf(backend.view(id), { accountId: ACCOUNT });
    }

    expect(assumeRoles()).toHaveLength(2);
    for (const id of ['catalog', 'scaffolder']) {
      const call = callFor(`backstage-${id}`)!;
      expect(call.params.RoleArn).toBe(READER);
      expect(call.params.DurationSeconds).toBe('1800');
      expect(call.tags).toEqual({ team: 'platform', plugin: id });
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
    }
    await backend.stop();
  });

  it('sends exactly the original parameters when no session key is set: RoleSessionName=backstage, no Tags, no DurationSeconds', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
      },
    });
    for (const id of ['catalog', 'scaffolder']) {
      await credentialsOf(backend.view(id), { accountId: ACCOUNT });
    }

    expect(assumeRoles()).toHaveLength(1);
    const [call] = assumeRoles();
    expect(call.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: READER,
      RoleSessionName: 'backstage',
    });
    expect(call.tags).toEqual({});
    await backend.stop();
  });

  it("merges session tags key by key and takes the most specific session name: plugin's entry, plugin, global entry, aws defaults", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder', 'techdocs'],
      aws: {
        mainAccount,
        roleSessionName: 'backstage-{pluginId}',
        sessionTags: { team: 'platform', plugin: '{pluginId}' },
        accounts: [
          {
            accountId: ACCOUNT,
            roleName: 'reader',
            roleSessionName: 'reader-{pluginId}',
            sessionTags: { access: 'read' },
          },
        ],
        plugins: {
          catalog: {
            roleSessionName: 'cat-{pluginId}',
            sessionTags: { team: 'catalog' },
          },
          scaffolder: {
            sessionTags: { team: 'provisioning' },
            accounts: [
              {
                accountId: ACCOUNT,
                roleName: 'provisioner',
                sessionTags: { access: 'write' },
              },
            ],
          },
        },
      },
    });
    for (const id of ['catalog', 'scaffolder', 'techdocs']) {
      await credentialsOf(backend.view(id), { accountId: ACCOUNT });
    }

    // catalog's own settings win over the global entry.
    expect(callFor('cat-catalog')!.tags).toEqual({
      team: 'catalog',
      plugin: 'catalog',
      access: 'read',
    });
    // scaffolder's entry replaces the global one; its tags win over the plugin's.
    const scaffolder = callFor('backstage-scaffolder')!;
    expect(scaffolder.params.RoleArn).toBe(
      `arn:aws:iam::${ACCOUNT}:role/provisioner`,
    );
    expect(scaffolder.tags).toEqual({
      team: 'provisioning',
      plugin: 'scaffolder',
      access: 'write',
    });
    // techdocs has no settings: the global entry over the aws defaults.
    expect(callFor('reader-techdocs')!.tags).toEqual({
      team: 'platform',
      plugin: 'techdocs',
      access: 'read',
    });
    expect(assumeRoles()).toHaveLength(3);
    await backend.stop();
  });

  describe('sharing', () => {
    it('gives two plugins that end up with the same session one AssumeRole, even when one has it from its own entry', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog', 'techdocs'],
        aws: {
          mainAccount,
          roleSessionName: 'backstage-readers',
          sessionTags: { team: 'platform' },
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
          plugins: {
            techdocs: {
              accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
            },
          },
        },
      });
      const [catalog, techdocs] = await Promise.all([
        credentialsOf(backend.view('catalog'), { accountId: ACCOUNT }),
        credentialsOf(backend.view('techdocs'), { accountId: ACCOUNT }),
      ]);
      // Compared by key ID, so that a failure prints no secret.
      expect(techdocs.accessKeyId).toBe(catalog.accessKeyId);
      expect(assumeRoles()).toHaveLength(1);
      await backend.stop();
    });

    it('does not share credentials between plugins with different session names: two AssumeRoles, different keys, each its own session', async () => {
      const backend = await startPluginsBackend({
        pluginIds: ['catalog', 'scaffolder'],
        aws: {
          mainAccount,
          roleSessionName: 'backstage-{pluginId}',
          accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        },
      });
      const catalog = await backend
        .view('catalog')
        .getCredentialProvider({ accountId: ACCOUNT });
      const scaffolder = await backend
        .view('scaffolder')
        .getCredentialProvider({ accountId: ACCOUNT });
      const keys = await Promise.all([
        catalog.sdkCredentialProvider(),
        scaffolder.sdkCredentialProvider(),
      ]);

      expect(assumeRoles()).toHaveLength(2);
      expect(keys[0].accessKeyId).not.toBe(keys[1].accessKeyId);
      await expect(callerArn(catalog)).resolves.toBe(
        `arn:aws:sts::${ACCOUNT}:assumed-role/reader/backstage-catalog`,
      );
      await expect(callerArn(scaffolder)).resolves.toBe(
        `arn:aws:sts::${ACCOUNT}:assumed-role/reader/backstage-scaffolder`,
      );
      await backend.stop();
    });
  });
});
