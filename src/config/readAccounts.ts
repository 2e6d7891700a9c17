import { JsonObject } from '@backstage/config';
import {
  AwsIntegrationAccountConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import { checkKnownKeys, isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import {
  SESSION_KEYS,
  hasSessionSettings,
  readSessionSettings,
} from './readSessionSettings';
import {
  SHAPING_KEYS,
  checkSessionShaping,
  hasSessionShaping,
  readSessionShaping,
} from './readSessionShaping';
import { checkFormats, checkKeyPair, checkRoleSettings } from './rules';

const TRIMMED_KEYS = ['accessKeyId', 'secretAccessKey'];
const MAIN_ACCOUNT_KEYS = [
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
  ...SESSION_KEYS,
  ...SHAPING_KEYS,
];
const ACCOUNT_KEYS = [
  'accountId',
  'accessKeyId',
  'secretAccessKey',
  'profile',
  ...ROLE_KEYS,
];
const NOT_STRINGS: readonly string[] = [...SESSION_KEYS, ...SHAPING_KEYS];

/**
 * Reads a block whose allowed keys are `keys` into a new object without
 * the absent ones, checking the keys and formats. String keys are read
 * here, the session settings by readSessionSettings. Keys are trimmed: a
 * stray newline from a secrets file would otherwise make every signature
 * fail.
 */
function readKeys<T>(
  block: JsonObject,
  keys: readonly string[],
  path: string,
  problems: Problems,
): T {
  checkKnownKeys(block, path, keys, problems);
  const result: Record<string, string> = {};
  // Only the keys the block has: entries set two or three of a dozen.
  // Unknown ones were reported above.
  for (const key of Object.keys(block)) {
    if (!keys.includes(key) || NOT_STRINGS.includes(key)) {
      continue;
    }
    const value = readString(block, key, path, problems);
    if (value !== undefined) {
      result[key] = TRIMMED_KEYS.includes(key) ? value.trim() : value;
    }
  }
  checkFormats(result, path, problems);
  const read: Record<string, unknown> = result;
  if (hasSessionSettings(block)) {
    Object.assign(read, readSessionSettings(block, keys, path, problems));
  }
  if (hasSessionShaping(block)) {
    Object.assign(read, readSessionShaping(block, keys, path, problems));
  }
  return read as T;
}

/** `aws.mainAccount`, or the `mainAccount` entry of a connection at `path`. */
export function readMainAccount(
  block: JsonObject | undefined,
  problems: Problems,
  path: string = 'aws.mainAccount',
): AwsIntegrationMainAccountConfig {
  if (!block) {
    return {};
  }
  const main = readKeys<AwsIntegrationMainAccountConfig>(
    block,
    MAIN_ACCOUNT_KEYS,
    path,
    problems,
  );
  checkKeyPair(main, path, problems);
  return main;
}

/** `aws.accountDefaults`, or a plugin's, at `path`. */
export function readAccountDefaults(
  block: JsonObject | undefined,
  path: string,
  problems: Problems,
): AwsIntegrationDefaultAccountConfig {
  if (!block) {
    return {};
  }
  const defaults = readKeys<AwsIntegrationDefaultAccountConfig>(
    block,
    ROLE_KEYS,
    path,
    problems,
  );
  checkRoleSettings(defaults, path, problems);
  checkSessionShaping(defaults, path, problems);
  return defaults;
}

/**
 * One account entry at `path`; `missingIdFix` says what to do when it has
 * no `accountId`.
 */
export function readAccount(
  block: JsonObject,
  path: string,
  missingIdFix: string,
  problems: Problems,
): AwsIntegrationAccountConfig {
  const account = readKeys<AwsIntegrationAccountConfig>(
    block,
    ACCOUNT_KEYS,
    path,
    problems,
  );
  if (block.accountId === undefined || block.accountId === null) {
    problems.add(`${path}.accountId`, `is missing; ${missingIdFix}`);
  }
  checkKeyPair(account, path, problems);
  if (account.profile && account.roleName) {
    problems.add(
      path,
      'has both a profile and a roleName, but only one must be specified; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
    );
  }
  checkRoleSettings(account, path, problems);
  checkSessionShaping(account, path, problems);
  // A missing ID was reported above; '' keeps the type while it is.
  account.accountId ??= '';
  return account;
}

/**
 * The list of accounts under `parent.accounts` (`aws.accounts`, or a
 * plugin's at `listPath`), each entry checked; an account ID twice in one
 * list is refused.
 */
export function readAccounts(
  parent: JsonObject,
  listPath: string,
  problems: Problems,
): AwsIntegrationAccountConfig[] {
  const seen = new Map<string, number>();
  const accounts: AwsIntegrationAccountConfig[] = [];
  const entries = readAccountList(parent, listPath, problems);
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (!entry) {
      continue; // already reported as not an object
    }
    const path = `${listPath}[${index}]`;
    const account = readAccount(
      entry,
      path,
      `every entry of ${listPath} needs the 12-digit ID of its account`,
      problems,
    );
    const earlier = seen.get(account.accountId);
    if (earlier !== undefined && account.accountId) {
      problems.add(
        `${path}.accountId`,
        `account ${account.accountId} is already configured at ${listPath}[${earlier}]; merge the two entries`,
      );
    } else {
      seen.set(account.accountId, index);
    }
    accounts.push(account);
  }
  return accounts;
}

/**
 * The entries of the list, with `undefined` in place of each entry that is
 * not an object, so that the other entries keep their indexes and are
 * still checked.
 */
function readAccountList(
  parent: JsonObject,
  listPath: string,
  problems: Problems,
): Array<JsonObject | undefined> {
  const value = parent.accounts;
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add(
      listPath,
      `must be a list of accounts, not ${kindOf(
        value,
      )}; start each entry with '- accountId:'`,
    );
    return [];
  }
  const entries: Array<JsonObject | undefined> = [];
  for (let index = 0; index < value.length; index++) {
    const entry = value[index];
    if (isObject(entry)) {
      entries.push(entry);
    } else {
      problems.add(
        `${listPath}[${index}]`,
        `must be an object with accountId and the account's settings, not ${kindOf(
          entry,
        )}`,
      );
      entries.push(undefined);
    }
  }
  return entries;
}
