import type { Config, JsonValue } from '@backstage/config';
import { problemsOf, readAwsBlock } from '../config';
import {
  checkMergedSessionTags,
  hasAnySessionTags,
} from '../config/checkMergedSessionTags';
import { isObject } from '../config/jsonValues';
import { Problems } from '../config/Problems';
import { readAwsConnection } from '../config/readAwsConnection';
import type { AwsIntegrationConfig } from '../types';
import { fromConnection } from './fromConnection';

/** The keys of the `aws` block that a connection replaces. */
const ACCOUNT_KEYS = ['mainAccount', 'accounts', 'accountDefaults'];

/** The config of no `aws` block and no connection: the default chain. */
function emptyConfig(): AwsIntegrationConfig {
  return { accounts: [], mainAccount: {}, accountDefaults: {} };
}

/**
 * Reads the accounts of the root config and this package's settings into
 * one validated model: from the `aws` connection of `connections` when
 * there is one (the framework's rule: it wins over the `aws` block's
 * accounts), else from the `aws` block. The `aws` block is validated
 * whole either way, as the framework converts it too; every problem of
 * both is reported at once.
 *
 * @throws `InputError` naming every bad key path and its fix.
 */
export function readAccountSources(config: Config): AwsIntegrationConfig {
  return readRootBlocks(
    config.getOptional('aws'),
    config.getOptional('connections'),
  );
}

/** {@link readAccountSources} for the plain values of the two root keys. */
export function readRootBlocks(
  aws: JsonValue | undefined,
  connections: JsonValue | undefined,
): AwsIntegrationConfig {
  if (connections === undefined) {
    // The common case: the aws block alone, read exactly as before.
    return aws === undefined ? emptyConfig() : readAwsBlock(aws);
  }
  const problems = new Problems();
  let settings = emptyConfig();
  if (aws !== undefined) {
    try {
      settings = readAwsBlock(aws);
    } catch (error) {
      const list = problemsOf(error);
      if (!list) {
        throw error;
      }
      problems.list.push(...list);
    }
  }
  const connection = readAwsConnection(connections, problems);
  if (!connection) {
    problems.throwIfAny();
    return settings;
  }
  const ignored = isObject(aws)
    ? ACCOUNT_KEYS.filter(key => aws[key] !== undefined && aws[key] !== null)
    : [];
  const model = fromConnection(
    settings,
    connection,
    ignored.map(key => `aws.${key}`),
    problems,
  );
  if (hasAnySessionTags(model)) {
    // The merge of the connection's tags with the aws block's; what the aws
    // block's own check found already is not said twice.
    const merged = new Problems();
    checkMergedSessionTags(model, merged);
    problems.list.push(...merged.list.filter(p => !problems.list.includes(p)));
  }
  problems.throwIfAny();
  return model;
}
