import { JsonObject, JsonValue } from '@backstage/config';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import { checkKnownKeys, isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import {
  readAccount,
  readAccountDefaults,
  readMainAccount,
} from './readAccounts';
import { readEntryKeys } from './readEntryKeys';

/** One auth entry of the aws connection that names an account. */
export type AwsConnectionEntry = {
  config: AwsIntegrationAccountConfig;
  /** Its key path, e.g. `connections[0].auth[2]`. */
  path: string;
  /** `match.plugins`: the only plugins that see the entry; all when absent. */
  plugins?: string[];
};

/** The `aws` connection of the root `connections` list, validated. */
export type AwsConnection = {
  /** Its key path, e.g. `connections[0]`. */
  path: string;
  /** The connection's own role: what reaches accounts without an entry. */
  role: AwsIntegrationDefaultAccountConfig;
  /** The `mainAccount: true` entry, if there is one. */
  main?: { config: AwsIntegrationMainAccountConfig; path: string };
  entries: AwsConnectionEntry[];
};

/** What the framework manages on a connection, besides the type's own keys. */
const CONNECTION_KEYS = ['type', 'title', 'match', 'auth'];
/** The aws connection type's own keys (its config schema). */
const ROLE_KEYS = [
  'roleName',
  'partition',
  'region',
  'externalId',
  'webIdentityTokenFile',
];
/** What the framework manages on an auth entry, besides the method's keys. */
const ENTRY_KEYS = ['method', 'title', 'match', 'mainAccount'];

/**
 * This package's session keys have no place on the connection itself:
 * the framework refuses keys it does not know there.
 */
const SESSION_KEY_FIXES: Record<string, string> = {
  roleSessionName:
    'set aws.roleSessionName for every session, or roleSessionName on an auth entry',
  sessionTags:
    'set aws.sessionTags for every session, or sessionTags on an auth entry',
  durationSeconds: 'set durationSeconds on an auth entry with a roleName',
};

/**
 * Reads the `aws` connection of the root `connections` list with the
 * framework's rules (one aws connection, at least one auth entry, one
 * `mainAccount` entry, each account ID once, a connection role only with a
 * `mainAccount` entry to assume it) and the aws block's rules for every
 * entry, adding each problem with its key path. Connections of other
 * types are the framework's to check. Undefined without an aws connection.
 */
export function readAwsConnection(
  connections: JsonValue | undefined,
  problems: Problems,
): AwsConnection | undefined {
  if (connections === undefined || connections === null) {
    return undefined;
  }
  if (!Array.isArray(connections)) {
    problems.add(
      'connections',
      `must be a list of connections, not ${kindOf(
        connections,
      )}; start each entry with '- type:'`,
    );
    return undefined;
  }
  const indexes: number[] = [];
  connections.forEach((connection, index) => {
    if (isObject(connection) && connection.type === 'aws') {
      indexes.push(index);
    }
  });
  if (indexes.length === 0) {
    return undefined;
  }
  const [first, ...others] = indexes;
  for (const index of others) {
    problems.add(
      `connections[${index}]`,
      `is a second aws connection, but the connections framework takes only one (aws is a singleton type); merge its auth entries into connections[${first}]`,
    );
  }
  return readConnection(
    connections[first] as JsonObject,
    `connections[${first}]`,
    problems,
  );
}

function readConnection(
  block: JsonObject,
  path: string,
  problems: Problems,
): AwsConnection {
  const roleBlock: JsonObject = {};
  const others: JsonObject = {};
  for (const [key, value] of Object.entries(block)) {
    if (key in SESSION_KEY_FIXES) {
      problems.add(
        `${path}.${key}`,
        `is not a key of an aws connection (the connections framework refuses it there); ${SESSION_KEY_FIXES[key]}`,
      );
    } else if (ROLE_KEYS.includes(key)) {
      roleBlock[key] = value;
    } else {
      others[key] = value;
    }
  }
  checkKnownKeys(others, path, [...CONNECTION_KEYS, ...ROLE_KEYS], problems);
  readString(block, 'title', path, problems);
  if (block.match !== undefined && block.match !== null) {
    problems.add(
      `${path}.match`,
      "would hide the whole aws connection, main account included, from every other plugin, which backstage-aws-credentials does not support; put match on the auth entries instead, or narrow a plugin's accounts with aws.plugins.<pluginId>.allowedAccountIds",
    );
  }
  const role = readAccountDefaults(roleBlock, path, problems);
  const connection: AwsConnection = { path, role, entries: [] };
  readAuth(block.auth, connection, problems);
  if (role.roleName && !connection.main) {
    problems.add(
      `${path}.roleName`,
      "is assumed with the main account's credentials, but no auth entry has mainAccount: true; add one (with no keys or profile, it uses the AWS SDK's default credential chain)",
    );
  }
  return connection;
}

function readAuth(
  auth: JsonValue | undefined,
  connection: AwsConnection,
  problems: Problems,
) {
  const listPath = `${connection.path}.auth`;
  if (auth === undefined || auth === null) {
    problems.add(
      listPath,
      "is missing; an aws connection needs at least one auth entry, e.g. '- method: account' with 'mainAccount: true'",
    );
    return;
  }
  if (!Array.isArray(auth) || auth.length === 0) {
    problems.add(
      listPath,
      `must be a list of at least one auth entry, not ${
        Array.isArray(auth) ? 'an empty list' : kindOf(auth)
      }; start each entry with '- method: account'`,
    );
    return;
  }
  const seen = new Map<string, string>();
  const remember = (accountId: string | undefined, path: string) => {
    if (!accountId) {
      return;
    }
    const earlier = seen.get(accountId);
    if (earlier) {
      problems.add(
        `${path}.accountId`,
        `account ${accountId} is already configured at ${earlier}; merge the two entries`,
      );
    } else {
      seen.set(accountId, path);
    }
  };
  auth.forEach((entry, index) => {
    const path = `${listPath}[${index}]`;
    if (!isObject(entry)) {
      problems.add(
        path,
        `must be an object with method: account and the account's settings, not ${kindOf(
          entry,
        )}`,
      );
      return;
    }
    const plugins = readEntryKeys(entry, path, problems);
    const block: JsonObject = { ...entry };
    for (const key of ENTRY_KEYS) {
      delete block[key];
    }
    if (entry.mainAccount === true) {
      readMainEntry(block, path, plugins, connection, problems);
      remember(connection.main?.config.accountId, path);
      return;
    }
    const config = readAccount(
      block,
      path,
      "an auth entry needs the 12-digit ID of its account, or mainAccount: true for the main account's credentials",
      problems,
    );
    remember(config.accountId, path);
    connection.entries.push({ config, path, ...(plugins && { plugins }) });
  });
}

function readMainEntry(
  block: JsonObject,
  path: string,
  plugins: string[] | undefined,
  connection: AwsConnection,
  problems: Problems,
) {
  if (connection.main) {
    problems.add(
      `${path}.mainAccount`,
      `a second entry is marked mainAccount, but the connections framework takes only one (the first is ${connection.main.path}); keep one`,
    );
    return;
  }
  if (plugins) {
    problems.add(
      `${path}.match`,
      "would leave the other plugins without the main account's credentials, which every plugin shares in backstage-aws-credentials (they sign the roles of every account); remove match, and narrow plugins with aws.plugins.<pluginId>.allowedAccountIds",
    );
  }
  const { roleName, ...rest } = block;
  if (roleName !== undefined && roleName !== null) {
    problems.add(
      `${path}.roleName`,
      'is not allowed on the mainAccount entry: its credentials assume the roles of the other accounts; set roleName on the connection to reach every account through a role, or on an entry with the accountId of the account',
    );
  }
  connection.main = { config: readMainAccount(rest, problems, path), path };
}
