import {
  Config,
  ConfigReader,
  JsonObject,
  JsonValue,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { AwsIntegrationConfig } from '../types';
import {
  checkMergedSessionTags,
  hasAnySessionTags,
} from './checkMergedSessionTags';
import { checkKnownKeys, isObject, kindOf, readBlock } from './jsonValues';
import { Problems } from './Problems';
import {
  readAccountDefaults,
  readAccounts,
  readMainAccount,
} from './readAccounts';
import { readAllowedAccountIds } from './readAllowedAccountIds';
import { readCacheConfig } from './readCacheConfig';
import { readOrganizationConfig } from './readOrganizationConfig';
import { readPlugins } from './readPlugins';
import { hasSessionSettings, readSessionSettings } from './readSessionSettings';
import { readStsConfig } from './readStsConfig';

/** The longest delay a Node.js timer accepts, 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Keys of `aws` beyond the original package's three blocks. */
const RARE_KEYS = [
  'credentialsTimeout',
  'cache',
  'sts',
  'roleSessionName',
  'sessionTags',
  'allowedAccountIds',
  'plugins',
  'organization',
];

const ROOT_KEYS = [
  'mainAccount',
  'accounts',
  'accountDefaults',
  'credentialsTimeout',
  'cache',
  'sts',
  'roleSessionName',
  'sessionTags',
  'allowedAccountIds',
  'plugins',
  'organization',
];

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
      'aws.accountDefaults',
      problems,
    ),
    accounts: readAccounts(block, 'aws.accounts', problems),
  };
  for (const key of RARE_KEYS) {
    if (block[key] !== undefined) {
      readRareKeys(block, result, problems);
      break;
    }
  }
  problems.throwIfAny();
  return result;
}

/**
 * The keys most configs leave out, read into `result` only when one is
 * present: the common config never runs (nor compiles) their rules.
 */
function readRareKeys(
  block: JsonObject,
  result: AwsIntegrationConfig,
  problems: Problems,
) {
  if (hasSessionSettings(block)) {
    Object.assign(
      result,
      readSessionSettings(
        block,
        ['roleSessionName', 'sessionTags'],
        'aws',
        problems,
      ),
    );
  }
  if (block.credentialsTimeout !== undefined) {
    const timeout = readCredentialsTimeout(block.credentialsTimeout, problems);
    if (timeout !== undefined) {
      result.credentialsTimeoutMs = timeout;
    }
  }
  const cache = readBlock(block, 'cache', 'aws.cache', problems);
  if (cache) {
    result.cache = readCacheConfig(cache, problems);
  }
  const sts = readBlock(block, 'sts', 'aws.sts', problems);
  if (sts) {
    result.sts = readStsConfig(sts, problems);
  }
  if (block.allowedAccountIds !== undefined) {
    const allowedAccountIds = readAllowedAccountIds(block, 'aws', problems);
    if (allowedAccountIds) {
      result.allowedAccountIds = allowedAccountIds;
    }
  }
  const plugins = readBlock(block, 'plugins', 'aws.plugins', problems);
  if (plugins) {
    result.plugins = readPlugins(plugins, problems);
  }
  const organization = readBlock(
    block,
    'organization',
    'aws.organization',
    problems,
  );
  if (organization) {
    const read = readOrganizationConfig(organization, problems);
    if (read) {
      result.organization = read;
    }
  }
  if (hasAnySessionTags(result)) {
    checkMergedSessionTags(result, problems);
  }
}
