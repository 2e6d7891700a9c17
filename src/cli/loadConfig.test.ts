import { useTempDir } from './__testUtils__/useTempDir';
import { join } from 'node:path';
import { ConfigLoadError } from './ConfigLoadError';
import { loadConfig } from './loadConfig';

describe('loadConfig', () => {
  const temp = useTempDir('cli-config-');
  const write = temp.write;

  it('merges app-config.local.yaml over app-config.yaml of the root, then APP_CONFIG_* variables', async () => {
    write(
      'app-config.yaml',
      'aws:\n  mainAccount:\n    region: eu-west-1\n    accountId: "111111111111"\n',
    );
    write(
      'app-config.local.yaml',
      'aws:\n  mainAccount:\n    region: eu-central-1\n',
    );

    const { config, sources } = await loadConfig({
      configPaths: [],
      rootDir: temp.dir(),
      env: { APP_CONFIG_aws_credentialsTimeout: '"3s"' },
    });

    expect(config.getOptional('aws')).toEqual({
      mainAccount: { region: 'eu-central-1', accountId: '111111111111' },
      credentialsTimeout: '3s',
    });
    expect(sources).toEqual([
      join(temp.dir(), 'app-config.yaml'),
      join(temp.dir(), 'app-config.local.yaml'),
      'env',
    ]);
  });

  it('reads the --config files instead, later ones over earlier ones, with ${VAR} substitution from the given environment', async () => {
    write('app-config.yaml', 'aws:\n  mainAccount:\n    region: eu-west-1\n');
    const base = write(
      'base.yaml',
      'aws:\n  mainAccount:\n    profile: ${TEAM_PROFILE}\n  accountDefaults:\n    roleName: reader\n',
    );
    const prod = write(
      'prod.yaml',
      'aws:\n  accountDefaults:\n    roleName: prod-reader\n',
    );

    const { config, sources } = await loadConfig({
      configPaths: [base, prod],
      rootDir: temp.dir(),
      env: { TEAM_PROFILE: ' team ' },
    });

    expect(config.getOptional('aws')).toEqual({
      mainAccount: { profile: 'team' },
      accountDefaults: { roleName: 'prod-reader' },
    });
    expect(sources).toEqual([base, prod]);
  });

  it('fails on a --config file that does not exist, with a ConfigLoadError that names it', async () => {
    const missing = join(temp.dir(), 'missing.yaml');

    const error = await loadConfig({ configPaths: [missing], env: {} }).catch(
      e => e,
    );

    expect(error).toBeInstanceOf(ConfigLoadError);
    expect(error.message).toBe(`Config file "${missing}" does not exist`);
  });
});
