import { Config, ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';

/** Where to read app-config from. */
export type LoadConfigOptions = {
  /** `--config` files, in order; none means the repository's defaults. */
  configPaths: string[];
  /** Where `APP_CONFIG_*` variables are read; `process.env` by default. */
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
 * Loads app-config the way a Backstage backend and the Backstage CLI do:
 * `app-config.yaml` and `app-config.local.yaml` of the repository root (or
 * the `--config` files instead), then `APP_CONFIG_*` variables, with
 * `${VAR}` substitution in the files.
 *
 * @throws when a file is missing or not valid YAML.
 */
export async function loadConfig(
  options: LoadConfigOptions,
): Promise<LoadedConfig> {
  const source = ConfigSources.default({
    argv: options.configPaths.flatMap(path => ['--config', path]),
    env: options.env,
    rootDir: options.rootDir,
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
  } finally {
    controller.abort();
  }
  return { config: new ConfigReader({}), sources: [] };
}
