import { NotFoundError } from '@backstage/errors';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { AwsCredentialsManager } from '../types';
import {
  capturingModule,
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const ACCOUNT = '333333333333';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;

describe('per-plugin roles', () => {
  const env = useAwsTestEnv();
  const assumeRoles = () => env.sts.callsOf('AssumeRole');

  it('gives the scaffolder its own role where other plugins get the global reader role', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        plugins: {
          scaffolder: {
            accounts: [{ accountId: ACCOUNT, roleName: 'provisioner' }],
          },
        },
      },
    });
    const catalog = await backend
      .view('catalog')
      .getCredentialProvider({ accountId: ACCOUNT });
    const scaffolder = await backend
      .view('scaffolder')
      .getCredentialProvider({ accountId: ACCOUNT });
    expect(catalog.roleArn).toBe(READER);
    expect(scaffolder.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/provisioner`);
    await catalog.sdkCredentialProvider();
    await scaffolder.sdkCredentialProvider();
    expect(assumeRoles().map(c => c.params.RoleArn)).toEqual([
      READER,
      `arn:aws:iam::${ACCOUNT}:role/provisioner`,
    ]);
    await backend.stop();
  });

  it('switches account defaults off for a plugin with accountDefaults: {}, refusing with the NotFoundError of any unconfigured account', async () => {
    const withDefaults = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount: { ...mainAccount, accountId: MAIN.accountId },
        accountDefaults: { roleName: 'fallback' },
        plugins: { catalog: { accountDefaults: {} } },
      },
    });
    const withoutDefaults = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: { mainAccount: { ...mainAccount, accountId: MAIN.accountId } },
    });
    const refusal = (aws: AwsCredentialsManager) =>
      aws.getCredentialProvider({ accountId: '999999999999' }).then(
        () => undefined,
        (error: Error) => error,
      );

    const offSwitch = await refusal(withDefaults.view('catalog'));
    const unconfigured = await refusal(withoutDefaults.view('catalog'));
    expect(offSwitch).toBeInstanceOf(NotFoundError);
    expect(offSwitch?.message).toBe(unconfigured?.message);
    const scaffolder = await withDefaults
      .view('scaffolder')
      .getCredentialProvider({
        accountId: '999999999999',
      });
    expect(scaffolder.roleArn).toBe('arn:aws:iam::999999999999:role/fallback');
    expect(env.sts.calls).toHaveLength(0);
    await withDefaults.stop();
    await withoutDefaults.stop();
  });

  it("uses a plugin's accountDefaults role in accounts nobody listed", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws: {
        mainAccount,
        accountDefaults: { roleName: 'fallback' },
        plugins: {
          scaffolder: { accountDefaults: { roleName: 'provisioner' } },
        },
      },
    });
    await credentialsOf(backend.view('catalog'), {
      accountId: '999999999999',
    });
    await credentialsOf(backend.view('scaffolder'), {
      accountId: '999999999999',
    });
    expect(assumeRoles().map(c => c.params.RoleArn)).toEqual([
      'arn:aws:iam::999999999999:role/fallback',
      'arn:aws:iam::999999999999:role/provisioner',
    ]);
    await backend.stop();
  });

  it("gives a module of the catalog the catalog's settings", async () => {
    const fromModule: AwsCredentialsManager[] = [];
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      features: [capturingModule('catalog', 'aws-reader', fromModule)],
      aws: {
        mainAccount,
        roleSessionName: 'backstage-{pluginId}',
        accounts: [{ accountId: ACCOUNT, roleName: 'reader' }],
        plugins: {
          catalog: {
            accounts: [{ accountId: ACCOUNT, roleName: 'catalog-reader' }],
          },
        },
      },
    });
    expect(fromModule).toHaveLength(1);
    const provider = await fromModule[0].getCredentialProvider({
      accountId: ACCOUNT,
    });
    expect(provider.roleArn).toBe(
      `arn:aws:iam::${ACCOUNT}:role/catalog-reader`,
    );
    await provider.sdkCredentialProvider();
    await credentialsOf(backend.view('catalog'), { accountId: ACCOUNT });
    // The module and its plugin share the plugin's one session.
    expect(assumeRoles()).toHaveLength(1);
    expect(assumeRoles()[0].params.RoleSessionName).toBe('backstage-catalog');
    await backend.stop();
  });
});
