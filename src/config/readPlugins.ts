import { JsonObject } from '@backstage/config';
import type {
  AwsIntegrationConfig,
  AwsIntegrationPluginConfig,
} from '../types';
import { checkKnownKeys, isObject, kindOf, readBlock } from './jsonValues';
import { Problems } from './Problems';
import { readAccountDefaults, readAccounts } from './readAccounts';
import { readAllowedAccountIds } from './readAllowedAccountIds';
import { PLUGIN_SHAPING_KEYS, readSessionShaping } from './readSessionShaping';
import { readSessionSettings } from './readSessionSettings';

/**
 * What Backstage accepts as a plugin ID (`createBackendPlugin`, which
 * still takes `_` though it warns about it): a key of another shape could
 * never name an installed plugin.
 */
export const PLUGIN_ID = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i;
const PLUGIN_KEYS = [
  'accounts',
  'accountDefaults',
  'allowedAccountIds',
  'roleSessionName',
  'sessionTags',
  ...PLUGIN_SHAPING_KEYS,
];
const PLUGIN_SESSION_KEYS = ['roleSessionName', 'sessionTags'];

/**
 * Reads `aws.plugins`: the settings of each plugin, keyed by plugin ID. A
 * plugin ID that names no installed plugin is not a problem here: plugins
 * come and go.
 */
export function readPlugins(
  block: JsonObject,
  problems: Problems,
): Record<string, AwsIntegrationPluginConfig> {
  const plugins: Record<string, AwsIntegrationPluginConfig> = {};
  for (const [pluginId, value] of Object.entries(block)) {
    const path = `aws.plugins.${pluginId}`;
    if (!PLUGIN_ID.test(pluginId)) {
      problems.add(
        path,
        `'${pluginId}' is not a Backstage plugin ID; a plugin ID starts with a letter and has letters and digits, with single - or _ between them, e.g. catalog or tech-insights`,
      );
      continue;
    }
    if (value === undefined || value === null) {
      continue; // how app-config unsets a key
    }
    if (!isObject(value)) {
      problems.add(
        path,
        `must be an object with the plugin's settings, not ${kindOf(value)}`,
      );
      continue;
    }
    plugins[pluginId] = readPlugin(value, path, problems);
  }
  return plugins;
}

function readPlugin(
  block: JsonObject,
  path: string,
  problems: Problems,
): AwsIntegrationPluginConfig {
  checkKnownKeys(block, path, PLUGIN_KEYS, problems);
  const plugin: AwsIntegrationPluginConfig = {};
  if (block.accounts !== undefined && block.accounts !== null) {
    plugin.accounts = readAccounts(block, `${path}.accounts`, problems);
  }
  const defaultsPath = `${path}.accountDefaults`;
  const defaults = readBlock(block, 'accountDefaults', defaultsPath, problems);
  if (defaults) {
    // {} is kept: it switches the account defaults off for this plugin.
    plugin.accountDefaults = readAccountDefaults(
      defaults,
      defaultsPath,
      problems,
    );
  }
  const allowed = readAllowedAccountIds(block, path, problems);
  if (allowed) {
    plugin.allowedAccountIds = allowed;
  }
  return {
    ...plugin,
    ...readSessionSettings(block, PLUGIN_SESSION_KEYS, path, problems),
    ...readSessionShaping(block, PLUGIN_SHAPING_KEYS, path, problems),
  };
}

/**
 * The `aws.plugins` settings of a plugin, if it has any. An own property
 * only: a plugin named `constructor` gets no settings from Object.
 */
export function pluginSettingsOf(
  config: AwsIntegrationConfig,
  pluginId: string | undefined,
): AwsIntegrationPluginConfig | undefined {
  return pluginId !== undefined &&
    config.plugins &&
    Object.hasOwn(config.plugins, pluginId)
    ? config.plugins[pluginId]
    : undefined;
}
