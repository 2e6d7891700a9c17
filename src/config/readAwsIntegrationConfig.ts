import {
  Config,
  ConfigReader,
  JsonObject,
  JsonValue,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { InputError } from '@backstage/errors';
import { closest, distance } from 'fastest-levenshtein';
import {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationMainAccountConfig,
} from './types';

/** The partitions AWS has today; `partition` must name one of them. */
export const KNOWN_PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

/** An AWS account ID: 12 digits, leading zeros included. */
export const ACCOUNT_ID = /^\d{12}$/;
/** The longest delay a Node.js timer accepts, 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;
/** What IAM accepts as a role name. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Region names such as us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1. */
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

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
 * Collects every problem of one `aws` block, so that a user fixes them all
 * in one go rather than one per restart.
 */
class Problems {
  readonly list: string[] = [];

  add(path: string, problem: string) {
    this.list.push(`${path}: ${problem}`);
  }

  throwIfAny() {
    if (this.list.length === 1) {
      throw new InputError(`Invalid AWS configuration, ${this.list[0]}`);
    }
    if (this.list.length > 1) {
      throw new InputError(
        `Invalid AWS configuration, ${this.list.length} problems:\n${this.list
          .map(p => `  - ${p}`)
          .join('\n')}`,
      );
    }
  }
}

function checkKnownKeys(
  value: JsonObject,
  path: string,
  known: readonly string[],
  problems: Problems,
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const lowerKnown = known.map(k => k.toLowerCase());
      const lowerNear = closest(key.toLowerCase(), lowerKnown);
      const near = known[lowerKnown.indexOf(lowerNear)];
      const hint =
        distance(key.toLowerCase(), lowerNear) <= 2
          ? `did you mean '${near}'?`
          : `the keys allowed here are ${known.join(', ')}`;
      problems.add(`${path}.${key}`, `unknown key; ${hint}`);
    }
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a config value is, for messages that must not quote the value. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads an optional string, treating an empty or blank one as a mistake:
 * a key that is present but empty is almost always an unset environment
 * variable substituted into app-config.
 */
function readString(
  block: JsonObject,
  key: string,
  path: string,
  problems: Problems,
): string | undefined {
  const value = block[key];
  // null is how app-config unsets a key.
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    const quote =
      typeof value === 'number' || typeof value === 'boolean'
        ? '; put the value in quotes in YAML'
        : '';
    problems.add(
      `${path}.${key}`,
      `must be a string, not ${kindOf(value)}${quote}`,
    );
    return undefined;
  }
  if (value.trim() === '') {
    problems.add(
      `${path}.${key}`,
      'is empty; give it a value or remove the key',
    );
    return undefined;
  }
  return value;
}

function checkFormats(
  c: {
    accountId?: string;
    roleName?: string;
    partition?: string;
    region?: string;
  },
  path: string,
  problems: Problems,
) {
  if (c.accountId !== undefined && !ACCOUNT_ID.test(c.accountId)) {
    problems.add(
      `${path}.accountId`,
      `must be a 12-digit AWS account ID (got ${c.accountId.length} characters); quote it in YAML so leading zeros are kept`,
    );
  }
  if (c.roleName !== undefined && !ROLE_NAME.test(c.roleName)) {
    problems.add(
      `${path}.roleName`,
      `'${c.roleName}' is not a valid IAM role name; use 1 to 64 letters, digits or +=,.@_- (the name only, without a path or ARN)`,
    );
  }
  if (
    c.partition !== undefined &&
    !(KNOWN_PARTITIONS as readonly string[]).includes(c.partition)
  ) {
    problems.add(
      `${path}.partition`,
      `'${
        c.partition
      }' is not an AWS partition; use one of ${KNOWN_PARTITIONS.join(', ')}`,
    );
  }
  if (c.region !== undefined && !REGION.test(c.region)) {
    problems.add(
      `${path}.region`,
      `'${c.region}' is not an AWS region name; use a name such as us-east-1`,
    );
  }
}

function checkKeyPair(
  c: { accessKeyId?: string; secretAccessKey?: string; profile?: string },
  path: string,
  problems: Problems,
) {
  if (c.accessKeyId && !c.secretAccessKey) {
    problems.add(
      path,
      'has accessKeyId but no secretAccessKey; add the secret access key, or remove accessKeyId',
    );
  }
  if (!c.accessKeyId && c.secretAccessKey) {
    problems.add(
      path,
      'has secretAccessKey but no accessKeyId; add the access key ID, or remove secretAccessKey',
    );
  }
  if (c.profile && (c.accessKeyId || c.secretAccessKey)) {
    problems.add(
      path,
      'has both a profile and static keys (accessKeyId/secretAccessKey); keep only one of them',
    );
  }
}

function checkRoleSettings(
  c: AwsIntegrationDefaultAccountConfig & {
    accessKeyId?: string;
    profile?: string;
  },
  path: string,
  problems: Problems,
) {
  if (!c.roleName) {
    for (const key of [
      'externalId',
      'region',
      'partition',
      'webIdentityTokenFile',
    ] as const) {
      if (c[key]) {
        problems.add(
          path,
          `has ${key} but no roleName; ${key} only applies when a role is assumed, so add roleName or remove ${key}`,
        );
      }
    }
  }
  if (c.webIdentityTokenFile) {
    if (c.accessKeyId) {
      problems.add(
        path,
        'has both webIdentityTokenFile and static keys; a web identity role is assumed with the token alone, so remove one of them',
      );
    }
    if (c.profile) {
      problems.add(
        path,
        'has both webIdentityTokenFile and a profile; remove one of them',
      );
    }
    if (c.externalId) {
      problems.add(
        path,
        'has both webIdentityTokenFile and externalId; AssumeRoleWithWebIdentity takes no external ID, so remove externalId',
      );
    }
  }
}

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
      'has both a profile and a roleName; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
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
 * An optional block that must be an object. A block of the wrong type is
 * reported by its own path, without its value.
 */
function readBlock(
  aws: JsonObject,
  key: string,
  problems: Problems,
): JsonObject | undefined {
  const value = aws[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(`aws.${key}`, `must be an object, not ${kindOf(value)}`);
    return undefined;
  }
  return value;
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
      readBlock(block, 'mainAccount', problems),
      problems,
    ),
    accountDefaults: readAccountDefaults(
      readBlock(block, 'accountDefaults', problems),
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
