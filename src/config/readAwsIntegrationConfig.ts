import {
  Config,
  ConfigReader,
  JsonObject,
  JsonValue,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import {
  checkKnownKeys,
  isObject,
  kindOf,
  readBlock,
  readString,
} from './jsonValues';
import { Problems } from './Problems';
import { checkFormats, checkKeyPair, checkRoleSettings } from './rules';

/** The longest delay a Node.js timer accepts, 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

const TRIMMED_KEYS = ['accessKeyId', 'secretAccessKey'];
const ROOT_KEYS = [
  'mainAccount',
  'accounts',
  'accountDefaults',
  'credentialsTimeout',
];
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
];
const ACCOUNT_KEYS = [
  'accountId',
  'accessKeyId',
  'secretAccessKey',
  'profile',
  ...ROLE_KEYS,
];

/**
 * Reads a block whose allowed keys are `keys`, all strings, into a new
 * object without the absent ones, checking the keys and formats. Keys are
 * trimmed: a stray newline from a secrets file would otherwise make every
 * signature fail.
 */
function readKeys<T>(
  block: JsonObject,
  keys: readonly string[],
  path: string,
  problems: Problems,
): T {
  checkKnownKeys(block, path, keys, problems);
  const result: Record<string, string> = {};
  for (const key of keys) {
    const value = readString(block, key, path, problems);
    if (value !== undefined) {
      result[key] = TRIMMED_KEYS.includes(key) ? value.trim() : value;
    }
  }
  checkFormats(result, path, problems);
  return result as T;
}

function readMainAccount(
  block: JsonObject | undefined,
  problems: Problems,
): AwsIntegrationMainAccountConfig {
  if (!block) {
    return {};
  }
  const path = 'aws.mainAccount';
  const main = readKeys<AwsIntegrationMainAccountConfig>(
    block,
    MAIN_ACCOUNT_KEYS,
    path,
    problems,
  );
  checkKeyPair(main, path, problems);
  return main;
}

function readAccountDefaults(
  block: JsonObject | undefined,
  problems: Problems,
): AwsIntegrationDefaultAccountConfig {
  if (!block) {
    return {};
  }
  const path = 'aws.accountDefaults';
  const defaults = readKeys<AwsIntegrationDefaultAccountConfig>(
    block,
    ROLE_KEYS,
    path,
    problems,
  );
  checkRoleSettings(defaults, path, problems);
  return defaults;
}

function readAccount(
  block: JsonObject,
  path: string,
  problems: Problems,
): AwsIntegrationAccountConfig {
  const account = readKeys<AwsIntegrationAccountConfig>(
    block,
    ACCOUNT_KEYS,
    path,
    problems,
  );
  if (block.accountId === undefined || block.accountId === null) {
    problems.add(
      `${path}.accountId`,
      'is missing; every entry of aws.accounts needs the 12-digit ID of its account',
    );
  }
  checkKeyPair(account, path, problems);
  if (account.profile && account.roleName) {
    problems.add(
      path,
      'has both a profile and a roleName, but only one must be specified; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
    );
  }
  checkRoleSettings(account, path, problems);
  // A missing ID was reported above; '' keeps the type while it is.
  account.accountId ??= '';
  return account;
}

function readAccounts(
  entries: Array<JsonObject | undefined>,
  problems: Problems,
): AwsIntegrationAccountConfig[] {
  const seen = new Map<string, number>();
  const accounts: AwsIntegrationAccountConfig[] = [];
  entries.forEach((entry, index) => {
    if (!entry) {
      return; // already reported as not an object
    }
    const path = `aws.accounts[${index}]`;
    const account = readAccount(entry, path, problems);
    const earlier = seen.get(account.accountId);
    if (earlier !== undefined && account.accountId) {
      problems.add(
        `${path}.accountId`,
        `account ${account.accountId} is already configured at aws.accounts[${earlier}]; merge the two entries`,
      );
    } else {
      seen.set(account.accountId, index);
    }
    accounts.push(account);
  });
  return accounts;
}

/**
 * The entries of `aws.accounts`, with `undefined` in place of each entry
 * that is not an object, so that the other entries keep their indexes and
 * are still checked.
 */
function readAccountList(
  aws: JsonObject,
  problems: Problems,
): Array<JsonObject | undefined> {
  const value = aws.accounts;
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add(
      'aws.accounts',
      `must be a list of accounts, not ${kindOf(
        value,
      )}; start each entry with '- accountId:'`,
    );
    return [];
  }
  return value.map((entry, index) => {
    if (isObject(entry)) {
      return entry;
    }
    problems.add(
      `aws.accounts[${index}]`,
      `must be an object with accountId and the account's settings, not ${kindOf(
        entry,
      )}`,
    );
    return undefined;
  });
}

function readCredentialsTimeout(
  value: JsonValue | undefined,
  problems: Problems,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const path = 'aws.credentialsTimeout';
  try {
    const ms = durationToMilliseconds(
      readDurationFromConfig(new ConfigReader({ value }), { key: 'value' }),
    );
    if (ms > MAX_TIMEOUT_MS) {
      // A longer Node.js timer fires at once instead.
      problems.add(
        path,
        'must be at most 24 days, the longest a timer can wait; a few seconds is usual, e.g. 10s',
      );
    } else if (ms > 0) {
      return ms;
    } else {
      problems.add(path, 'must be longer than zero, e.g. 10s');
    }
  } catch {
    problems.add(
      path,
      "is not a duration; use a string such as '10s' or an object such as { seconds: 10 }",
    );
  }
  return undefined;
}

/**
 * Reads and validates the `aws` block of app-config (pass the `aws` config
 * itself, as with `@backstage/integration-aws-node`).
 *
 * @public
 * @throws `InputError` that names every bad key path and its fix.
 */
export function readAwsIntegrationConfig(config: Config): AwsIntegrationConfig {
  return readAwsBlock(config.get());
}

/**
 * {@link readAwsIntegrationConfig} for the plain value of the `aws` block,
 * as `config.getOptional('aws')` returns it, merged across config files.
 * Plain objects are much cheaper to walk than Config, whose every read is a
 * deep copy; that adds up with thousands of accounts.
 */
export function readAwsBlock(aws: JsonValue): AwsIntegrationConfig {
  const problems = new Problems();
  if (!isObject(aws)) {
    problems.add('aws', `must be an object, not ${kindOf(aws)}`);
    problems.throwIfAny();
  }
  const block = aws as JsonObject;
  checkKnownKeys(block, 'aws', ROOT_KEYS, problems);

  const result: AwsIntegrationConfig = {
    mainAccount: readMainAccount(
      readBlock(block, 'mainAccount', 'aws.mainAccount', problems),
      problems,
    ),
    accountDefaults: readAccountDefaults(
      readBlock(block, 'accountDefaults', 'aws.accountDefaults', problems),
      problems,
    ),
    accounts: readAccounts(readAccountList(block, problems), problems),
  };
  const timeout = readCredentialsTimeout(block.credentialsTimeout, problems);
  if (timeout !== undefined) {
    result.credentialsTimeoutMs = timeout;
  }
  problems.throwIfAny();
  return result;
}
