import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { targetPaths } from '@backstage/cli-common';
import { Config, ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { ConfigLoadError } from './ConfigLoadError';
import { describeLoadError } from './describeLoadError';
import { redactFragments, secretsOf } from './redact';
import { secretsInSource } from './secretsInSource';

/** Where to read app-config from. */
export type LoadConfigOptions = {
  /** `--config` files, in order; none means the repository's defaults. */
  configPaths: string[];
  /**
   * Where `APP_CONFIG_*` variables and the values of `${VAR}` in the
   * files are read; `process.env` by default.
   */
  env?: Record<string, string | undefined>;
  /**
   * Where app-config.yaml and app-config.local.yaml are looked for; the
   * Backstage CLI's choice by default (the root of the yarn workspace
   * around the current directory, else the current directory).
   */
  rootDir?: string;
};

/** The merged app-config, and what it was read from. */
export type LoadedConfig = {
  config: Config;
  /** File paths in the order they were merged, then `env` if any variable counted. */
  sources: string[];
};

/**
 * The files the loader may read: the `--config` files, else those
 * `ConfigSources.defaultForTargets` looks for in the root folder. Only to
 * tell which file a parse error came from and which secrets it may hold;
 * the loader itself chooses what it reads.
 */
function candidateFiles(configPaths: string[], rootDir: string): string[] {
  if (configPaths.length > 0) {
    return configPaths.map(path => resolve(path));
  }
  const envs = (process.env.BACKSTAGE_ENV ?? '')
    .split(',')
    .map(e => e.trim())
    .filter(Boolean);
  return [
    'app-config.yaml',
    ...envs.map(e => `app-config.${e}.yaml`),
    'app-config.local.yaml',
    ...envs.map(e => `app-config.${e}.local.yaml`),
  ].map(name => resolve(rootDir, name));
}

/** Every secret a load error could quote: from the files, even unparsed, and the environment. */
function secretsAround(
  files: string[],
  env: Record<string, string | undefined>,
): string[] {
  const found = secretsOf(undefined, env);
  for (const file of files) {
    try {
      found.push(...secretsInSource(readFileSync(file, 'utf8')));
    } catch {
      // A file that cannot be read quotes nothing.
    }
  }
  return found;
}

/**
 * Loads app-config the way a Backstage backend and the Backstage CLI do:
 * `app-config.yaml` and `app-config.local.yaml` of the repository root (or
 * the `--config` files instead), then `APP_CONFIG_*` variables, with
 * `${VAR}` substitution in the files.
 *
 * @throws ConfigLoadError when a file is missing or cannot be read; its
 *   message names the file, line, column and key path where known, and
 *   never quotes the source.
 */
export async function loadConfig(
  options: LoadConfigOptions,
): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const rootDir = options.rootDir ?? targetPaths.rootDir;
  const source = ConfigSources.default({
    argv: options.configPaths.flatMap(path => ['--config', path]),
    env,
    rootDir,
    // The loader's own rule, over the environment given.
    substitutionFunc: async name => env[name]?.trim(),
    // A one-off read: no file watcher may keep the process alive.
    watch: false,
  });
  // Read the sources directly rather than through ConfigSources.toConfig,
  // which hides what each config came from. Without watching, the first
  // answer is the only one.
  const controller = new AbortController();
  try {
    for await (const { configs } of source.readConfigData({
      signal: controller.signal,
    })) {
      return {
        config: ConfigReader.fromConfigs(configs),
        sources: configs.map(c => c.path ?? c.context),
      };
    }
  } catch (error) {
    const candidates = candidateFiles(options.configPaths, rootDir);
    const { message, location } = describeLoadError(error, candidates);
    const files = location.file ? [...candidates, location.file] : candidates;
    const secrets = secretsAround(files, env);
    throw new ConfigLoadError(redactFragments(message, secrets), {
      ...location,
      ...(location.keyPath && {
        keyPath: redactFragments(location.keyPath, secrets),
      }),
    });
  } finally {
    controller.abort();
  }
  return { config: new ConfigReader({}), sources: [] };
}
