import type { JsonObject, JsonValue } from '@backstage/config';
import {
  MigratedObject,
  MigratedValue,
  SecretPlaceholder,
} from './migratedValues';

/** The `aws` block as an `aws` connection and the settings left in the block. */
export type Migration = {
  /** The entry of `connections`. */
  connection: MigratedObject;
  /** The `aws` block's own settings, which stay in force; absent if none. */
  aws?: MigratedObject;
  /**
   * The secrets replaced by placeholders, with their values: for tests and
   * for whoever fills them in, never for printing.
   */
  secrets: Array<{ variable: string; path: string; value: string }>;
  /** What a connection cannot hold, each as `<key path>: <why and fix>`. */
  problems: string[];
};

const SECRET_KEYS: Record<string, string> = {
  accessKeyId: 'ACCESS_KEY_ID',
  secretAccessKey: 'SECRET_ACCESS_KEY',
  externalId: 'EXTERNAL_ID',
};
const MAIN_KEYS = [
  'accountId',
  'accessKeyId',
  'secretAccessKey',
  'profile',
  'region',
];
const ROLE_KEYS = [
  'roleName',
  'partition',
  'region',
  'externalId',
  'webIdentityTokenFile',
];
const DEFAULTS_SESSION_KEYS = [
  'roleSessionName',
  'sessionTags',
  'durationSeconds',
];

function objectAt(value: JsonValue | undefined): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? value
    : {};
}

function listAt(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? (value.map(objectAt) as JsonObject[]) : [];
}

/** JSON with sorted keys, so that two equal entries print the same. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Writes the `aws` block (valid, as `readAwsBlock` accepts it) as the
 * `aws` connection that gives every plugin the same answers, under the
 * rules of `fromConnection`:
 *
 * - `mainAccount` is the `mainAccount` entry; `accountDefaults` the
 *   connection's role; `accounts` the entries without `match`;
 * - a plugin's entry of an account that has no global entry, and that
 *   every plugin listing the account has alike, is an entry with
 *   `match.plugins`; other plugin entries stay in `aws.plugins`;
 * - the main account's `accountId` is left off the `mainAccount` entry
 *   when the connection has a role or an entry has that ID: the framework
 *   would otherwise serve that account with the main account's
 *   credentials (or refuse the ID twice). The allow-lists then name it,
 *   as they could not tell it by its ID any more.
 *
 * The session keys of `accountDefaults` have no place on a connection
 * (the framework refuses unknown keys there): they are problems.
 */
export function toConnections(aws: JsonObject): Migration {
  const secrets: Migration['secrets'] = [];
  const problems: string[] = [];
  /** A copy of `block` with `keys` (all when absent), secrets as placeholders. */
  const carry = (
    block: JsonObject,
    path: string,
    context: string,
    keys?: string[],
  ): MigratedObject => {
    const out: MigratedObject = {};
    for (const [key, value] of Object.entries(block)) {
      if (
        (keys && !keys.includes(key)) ||
        value === null ||
        value === undefined
      ) {
        continue;
      }
      if (key in SECRET_KEYS && typeof value === 'string') {
        const variable = `BACKSTAGE_AWS_${context}_${SECRET_KEYS[key]}`;
        secrets.push({ variable, path: `${path}.${key}`, value });
        out[key] = new SecretPlaceholder(variable, `${path}.${key}`);
      } else {
        out[key] = value;
      }
    }
    return out;
  };

  const main = objectAt(aws.mainAccount);
  const defaults = objectAt(aws.accountDefaults);
  const accounts = listAt(aws.accounts);
  const plugins = objectAt(aws.plugins);
  for (const key of DEFAULTS_SESSION_KEYS) {
    if (defaults[key] !== undefined && defaults[key] !== null) {
      problems.push(
        `aws.accountDefaults.${key}: an aws connection cannot hold it (the connections framework refuses keys it does not know on the connection); keep the aws block's accounts, or move ${key} to aws.${
          key === 'durationSeconds' ? 'plugins.<pluginId>.accountDefaults' : key
        } and check that the sessions it then reaches should have it`,
      );
    }
  }

  // Plugin entries that can be entries with match.plugins.
  const globalIds = new Set(accounts.map(a => a.accountId as string));
  const byAccount = new Map<
    string,
    Array<{ pluginId: string; entry: JsonObject; index: number }>
  >();
  for (const [pluginId, settings] of Object.entries(plugins)) {
    listAt(objectAt(settings).accounts).forEach((entry, index) => {
      const id = entry.accountId as string;
      byAccount.set(id, [
        ...(byAccount.get(id) ?? []),
        { pluginId, entry, index },
      ]);
    });
  }
  const movable = [...byAccount].filter(
    ([id, list]) =>
      !globalIds.has(id) &&
      list.every(e => canonical(e.entry) === canonical(list[0].entry)),
  );
  const moved = new Set(movable.map(([id]) => id));

  const mainId = main.accountId as string | undefined;
  const dropMainId =
    mainId !== undefined &&
    (Boolean(defaults.roleName) ||
      globalIds.has(mainId) ||
      byAccount.has(mainId));
  const mainEntry = {
    method: 'account',
    mainAccount: true,
    ...carry(
      main,
      'aws.mainAccount',
      'MAIN_ACCOUNT',
      dropMainId ? MAIN_KEYS.filter(key => key !== 'accountId') : MAIN_KEYS,
    ),
  };

  const auth: MigratedValue[] = [
    mainEntry,
    ...accounts.map((entry, i) => ({
      method: 'account',
      ...carry(entry, `aws.accounts[${i}]`, `ACCOUNT_${entry.accountId}`),
    })),
    ...movable.map(([id, list]) => {
      const { pluginId, index } = list[0];
      return {
        method: 'account',
        ...carry(
          list[0].entry,
          `aws.plugins.${pluginId}.accounts[${index}]`,
          `PLUGIN_${variablePart(pluginId)}_ACCOUNT_${id}`,
        ),
        match: { plugins: list.map(e => e.pluginId) },
      };
    }),
  ];

  const connection = {
    type: 'aws',
    ...carry(defaults, 'aws.accountDefaults', 'ACCOUNT_DEFAULTS', ROLE_KEYS),
    auth,
  };

  const rest: MigratedObject = {};
  for (const [key, value] of Object.entries(aws)) {
    if (['mainAccount', 'accounts', 'accountDefaults'].includes(key)) {
      continue;
    }
    if (key === 'plugins') {
      rest.plugins = pluginSettings(objectAt(value), moved, carry);
    } else if (value !== null && value !== undefined) {
      rest[key] = value;
    }
  }
  if (dropMainId) {
    addToAllowLists(rest, mainId!);
  }
  return {
    connection,
    ...(Object.keys(rest).length > 0 && { aws: rest }),
    secrets,
    problems,
  };
}

/** `aws.plugins` without the entries that moved into the connection. */
function pluginSettings(
  plugins: JsonObject,
  moved: Set<string>,
  carry: (
    block: JsonObject,
    path: string,
    context: string,
    keys?: string[],
  ) => MigratedObject,
): MigratedObject {
  const out: MigratedObject = {};
  for (const [pluginId, value] of Object.entries(plugins)) {
    if (value === null) {
      continue;
    }
    const path = `aws.plugins.${pluginId}`;
    const context = `PLUGIN_${variablePart(pluginId)}`;
    const settings: MigratedObject = { ...objectAt(value) };
    const accounts = listAt(objectAt(value).accounts);
    if (accounts.length > 0) {
      const kept = accounts.flatMap((entry, i) =>
        moved.has(entry.accountId as string)
          ? []
          : [
              carry(
                entry,
                `${path}.accounts[${i}]`,
                `${context}_ACCOUNT_${entry.accountId}`,
              ),
            ],
      );
      if (kept.length > 0) {
        settings.accounts = kept;
      } else {
        delete settings.accounts;
      }
    }
    const defaults = objectAt(value).accountDefaults;
    if (defaults && typeof defaults === 'object') {
      settings.accountDefaults = carry(
        objectAt(defaults),
        `${path}.accountDefaults`,
        `${context}_ACCOUNT_DEFAULTS`,
      );
    }
    out[pluginId] = settings;
  }
  return out;
}

/** Lets every allow-list name the main account, which it no longer knows by ID. */
function addToAllowLists(rest: MigratedObject, id: string) {
  const add = (block: MigratedObject) => {
    const list = block.allowedAccountIds;
    if (Array.isArray(list) && !list.includes(id)) {
      block.allowedAccountIds = [...list, id];
    }
  };
  add(rest);
  const plugins = rest.plugins as { [key: string]: MigratedObject } | undefined;
  for (const settings of Object.values(plugins ?? {})) {
    add(settings);
  }
}

/** A plugin ID as part of an environment variable name. */
function variablePart(pluginId: string): string {
  return pluginId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
