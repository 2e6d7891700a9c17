import {
  Config,
  ConfigReader,
  JsonObject,
  readDurationFromConfig,
} from '@backstage/config';
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

const ACCOUNT_ID = /^\d{12}$/;
/** The longest delay a Node.js timer accepts, 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;
/** What IAM accepts as a role name. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Region names such as us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1. */
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

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
  config: Config,
  path: string,
  known: string[],
  problems: Problems,
) {
  const lowerKnown = known.map(k => k.toLowerCase());
  for (const key of config.keys()) {
    if (!known.includes(key)) {
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
  config: Config,
  key: string,
  path: string,
  problems: Problems,
): string | undefined {
  if (!config.has(key)) {
    return undefined;
  }
  // Not getOptionalString: it calls an empty string the wrong type, and its
  // message would not suit a value that may be a secret.
  const value = config.getOptional(key);
  if (value === undefined) {
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
  c: { accountId?: string; roleName?: string; partition?: string; region?: string },
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
      `'${c.partition}' is not an AWS partition; use one of ${KNOWN_PARTITIONS.join(
        ', ',
      )}`,
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

function readMainAccount(
  config: Config | undefined,
  problems: Problems,
): AwsIntegrationMainAccountConfig {
  if (!config) {
    return {};
  }
  const path = 'aws.mainAccount';
  checkKnownKeys(config, path, MAIN_ACCOUNT_KEYS, problems);
  const main: AwsIntegrationMainAccountConfig = {
    accountId: readString(config, 'accountId', path, problems),
    accessKeyId: readString(config, 'accessKeyId', path, problems)?.trim(),
    secretAccessKey: readString(config, 'secretAccessKey', path, problems)?.trim(),
    profile: readString(config, 'profile', path, problems),
    region: readString(config, 'region', path, problems),
  };
  checkFormats(main, path, problems);
  checkKeyPair(main, path, problems);
  return dropUndefined(main);
}

function readAccountDefaults(
  config: Config | undefined,
  problems: Problems,
): AwsIntegrationDefaultAccountConfig {
  if (!config) {
    return {};
  }
  const path = 'aws.accountDefaults';
  checkKnownKeys(config, path, ROLE_KEYS, problems);
  const defaults: AwsIntegrationDefaultAccountConfig = {
    roleName: readString(config, 'roleName', path, problems),
    partition: readString(config, 'partition', path, problems),
    region: readString(config, 'region', path, problems),
    externalId: readString(config, 'externalId', path, problems),
    webIdentityTokenFile: readString(config, 'webIdentityTokenFile', path, problems),
  };
  checkFormats(defaults, path, problems);
  checkRoleSettings(defaults, path, problems);
  return dropUndefined(defaults);
}

function readAccount(
  config: Config,
  path: string,
  problems: Problems,
): AwsIntegrationAccountConfig {
  checkKnownKeys(config, path, ACCOUNT_KEYS, problems);
  const accountId = readString(config, 'accountId', path, problems);
  if (accountId === undefined && !config.has('accountId')) {
    problems.add(
      `${path}.accountId`,
      'is missing; every entry of aws.accounts needs the 12-digit ID of its account',
    );
  }
  const account: AwsIntegrationAccountConfig = {
    accountId: accountId ?? '',
    accessKeyId: readString(config, 'accessKeyId', path, problems)?.trim(),
    secretAccessKey: readString(config, 'secretAccessKey', path, problems)?.trim(),
    profile: readString(config, 'profile', path, problems),
    roleName: readString(config, 'roleName', path, problems),
    partition: readString(config, 'partition', path, problems),
    region: readString(config, 'region', path, problems),
    externalId: readString(config, 'externalId', path, problems),
    webIdentityTokenFile: readString(config, 'webIdentityTokenFile', path, problems),
  };
  checkFormats({ ...account, accountId }, path, problems);
  checkKeyPair(account, path, problems);
  if (account.profile && account.roleName) {
    problems.add(
      path,
      'has both a profile and a roleName; to assume a role from a profile, set role_arn in that profile of the AWS config file, or remove profile',
    );
  }
  checkRoleSettings(account, path, problems);
  return dropUndefined(account);
}

function readAccounts(
  configs: Array<Config | undefined>,
  problems: Problems,
): AwsIntegrationAccountConfig[] {
  const seen = new Map<string, number>();
  const accounts: AwsIntegrationAccountConfig[] = [];
  configs.forEach((config, index) => {
    if (!config) {
      return; // already reported as not an object
    }
    const path = `aws.accounts[${index}]`;
    const account = readAccount(config, path, problems);
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
  config: Config,
  key: string,
  problems: Problems,
): Config | undefined {
  const value = config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(`aws.${key}`, `must be an object, not ${kindOf(value)}`);
    return undefined;
  }
  return config.getConfig(key);
}

/**
 * The entries of `aws.accounts`, with `undefined` in place of each entry
 * that is not an object, so that the other entries keep their indexes and
 * are still checked.
 */
function readAccountList(
  config: Config,
  problems: Problems,
): Array<Config | undefined> {
  const value = config.getOptional('accounts');
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add(
      'aws.accounts',
      `must be a list of accounts, not ${kindOf(value)}; start each entry with '- accountId:'`,
    );
    return [];
  }
  if (value.every(isObject)) {
    return config.getConfigArray('accounts');
  }
  return value.map((entry, index) => {
    if (isObject(entry)) {
      return new ConfigReader(entry, `aws.accounts[${index}]`);
    }
    problems.add(
      `aws.accounts[${index}]`,
      `must be an object with accountId and the account's settings, not ${kindOf(entry)}`,
    );
    return undefined;
  });
}

function readCredentialsTimeout(
  config: Config,
  problems: Problems,
): number | undefined {
  if (!config.has('credentialsTimeout')) {
    return undefined;
  }
  const path = 'aws.credentialsTimeout';
  try {
    const d = readDurationFromConfig(config, { key: 'credentialsTimeout' });
    const day = 86_400_000;
    const ms =
      (d.milliseconds ?? 0) +
      (d.seconds ?? 0) * 1000 +
      (d.minutes ?? 0) * 60_000 +
      (d.hours ?? 0) * 3_600_000 +
      (d.days ?? 0) * day +
      (d.weeks ?? 0) * 7 * day +
      (d.months ?? 0) * 30 * day +
      (d.years ?? 0) * 365.25 * day;
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

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * Reads and validates the `aws` block of app-config (pass the `aws` config
 * itself, as with `@backstage/integration-aws-node`).
 *
 * @public
 * @throws `InputError` that names every bad key path and its fix.
 */
export function readAwsIntegrationConfig(config: Config): AwsIntegrationConfig {
  const problems = new Problems();
  checkKnownKeys(config, 'aws', ROOT_KEYS, problems);

  const mainAccountConfig = readBlock(config, 'mainAccount', problems);
  const defaultsConfig = readBlock(config, 'accountDefaults', problems);
  const accountConfigs = readAccountList(config, problems);

  const result: AwsIntegrationConfig = {
    mainAccount: readMainAccount(mainAccountConfig, problems),
    accountDefaults: readAccountDefaults(defaultsConfig, problems),
    accounts: readAccounts(accountConfigs, problems),
  };
  const timeout = readCredentialsTimeout(config, problems);
  if (timeout !== undefined) {
    result.credentialsTimeoutMs = timeout;
  }
  problems.throwIfAny();
  return result;
}
