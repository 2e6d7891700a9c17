import { withKeyPaths } from '../config/keyPaths';
import { Problems } from '../config/Problems';
import type {
  AwsConnection,
  AwsConnectionEntry,
} from '../config/readAwsConnection';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationPluginConfig,
} from '../types';

/**
 * The accounts of an `aws` connection in the model the `aws` block gives,
 * so that every lookup rule, cache and tool below works unchanged:
 *
 * - the `mainAccount` entry is `mainAccount`;
 * - the connection's role is `accountDefaults`;
 * - entries without `match` are `accounts`; an entry with `match.plugins`
 *   is an entry of `plugins.<id>.accounts` of each plugin it names, which
 *   the framework shows to those plugins only;
 * - as the framework matches entries by account ID before it falls back
 *   to the connection's role, a `mainAccount` entry with an `accountId`
 *   answers for that account itself: with a connection role, it is also
 *   an entry of `accounts`.
 *
 * This package's own settings come from the `aws` block (`settings`,
 * validated): STS, timeouts, session names and tags, allow-lists and
 * `aws.plugins`, whose `accounts` a plugin sees over the connection's.
 * Its `mainAccount`, `accounts` and `accountDefaults` are not in force:
 * `ignoredKeys` names those that are set.
 */
export function fromConnection(
  settings: AwsIntegrationConfig,
  connection: AwsConnection,
  ignoredKeys: string[],
  problems: Problems,
): AwsIntegrationConfig {
  const {
    mainAccount: _mainAccount,
    accounts: _accounts,
    accountDefaults: _accountDefaults,
    plugins: awsPlugins,
    ...rest
  } = settings;
  const { path, main, role } = connection;

  const global = connection.entries.filter(entry => !entry.plugins);
  if (main?.config.accountId && role.roleName) {
    const { accountId, accessKeyId, secretAccessKey, profile, region } =
      main.config;
    global.push({
      config: withoutUndefined({
        accountId,
        accessKeyId,
        secretAccessKey,
        profile,
        region,
      }),
      path: main.path,
    });
  }

  const plugins = pluginsOf(connection.entries, awsPlugins ?? {}, problems);
  const model: AwsIntegrationConfig = {
    ...rest,
    mainAccount: main?.config ?? {},
    accounts: global.map(entry => entry.config),
    accountDefaults: role,
    ...(plugins.settings && { plugins: plugins.settings }),
  };
  return withKeyPaths(model, {
    origin: path,
    mainAccount: main?.path ?? path,
    accountDefaults: path,
    account: index => global[index].path,
    pluginAccount: (pluginId, index) => plugins.paths.get(pluginId)![index],
    mainAccountIdFix: main
      ? `set ${main.path}.accountId`
      : `add an auth entry with mainAccount: true and the main account's accountId to ${path}.auth`,
    addAccountFix: accountId =>
      `Add an auth entry with accountId '${accountId}' to ${path}.auth (with a roleName, static keys or a profile), or set ${path}.roleName to reach every account through a role.`,
    ignoredKeys,
  });
}

/**
 * `aws.plugins` with the entries that `match.plugins` gives each plugin
 * first in its `accounts`, and the key path of every entry. An account
 * that both give the same plugin is refused: which should win is not
 * clear, as with an account ID twice in one list.
 */
function pluginsOf(
  entries: AwsConnectionEntry[],
  awsPlugins: Record<string, AwsIntegrationPluginConfig>,
  problems: Problems,
) {
  // A Map: plugin IDs such as `constructor` are no keys of a plain object.
  const matched = new Map<string, AwsConnectionEntry[]>();
  for (const entry of entries) {
    for (const pluginId of entry.plugins ?? []) {
      const list = matched.get(pluginId) ?? [];
      list.push(entry);
      matched.set(pluginId, list);
    }
  }
  const paths = new Map<string, string[]>();
  const settings: Record<string, AwsIntegrationPluginConfig> = {};
  const pluginIds = new Set([...Object.keys(awsPlugins), ...matched.keys()]);
  for (const pluginId of pluginIds) {
    const own = Object.hasOwn(awsPlugins, pluginId)
      ? awsPlugins[pluginId]
      : undefined;
    const fromMatch = matched.get(pluginId) ?? [];
    const fromAws = own?.accounts ?? [];
    const awsPath = (i: number) => `aws.plugins.${pluginId}.accounts[${i}]`;
    fromAws.forEach((account, i) => {
      const entry = fromMatch.find(
        e => e.config.accountId === account.accountId,
      );
      if (entry) {
        problems.add(
          `${awsPath(i)}.accountId`,
          `account ${account.accountId} is already configured for plugin ${pluginId} at ${entry.path} (its match.plugins names ${pluginId}); keep one of the two entries`,
        );
      }
    });
    const accounts: AwsIntegrationAccountConfig[] = [
      ...fromMatch.map(entry => entry.config),
      ...fromAws,
    ];
    settings[pluginId] = {
      ...own,
      ...((accounts.length > 0 || own?.accounts) && { accounts }),
    };
    paths.set(pluginId, [
      ...fromMatch.map(entry => entry.path),
      ...fromAws.map((_, i) => awsPath(i)),
    ]);
  }
  return {
    settings: pluginIds.size > 0 ? settings : undefined,
    paths,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
