import type { AwsIntegrationConfig } from '../types';

/**
 * Where the account blocks of a validated config were written: the `aws`
 * block's keys, or an `aws` connection's (`connections[0].auth[2]`). Errors,
 * logs, descriptions and `check` name these, so a user is sent to the key
 * they wrote, whichever source of accounts is in force.
 */
export type KeyPaths = {
  /** Where the accounts come from: `aws`, or the connection, e.g. `connections[0]`. */
  readonly origin: string;
  /** Where the main account's credentials are configured. */
  readonly mainAccount: string;
  /** What sets the role of accounts that have no entry. */
  readonly accountDefaults: string;
  /** The entry behind `accounts[index]`. */
  account(index: number): string;
  /** The entry behind `plugins[pluginId].accounts[index]`. */
  pluginAccount(pluginId: string, index: number): string;
  /** How to give the main account's ID, so that STS need not be asked. */
  readonly mainAccountIdFix: string;
  /** How to reach an account that nothing serves. */
  addAccountFix(accountId: string): string;
  /**
   * Keys of the `aws` block that hold accounts but are not in force,
   * because a connection holds the accounts; empty for the aws block.
   */
  readonly ignoredKeys: readonly string[];
};

/** The key paths of a config read from the `aws` block. */
export const AWS_BLOCK_PATHS: KeyPaths = {
  origin: 'aws',
  mainAccount: 'aws.mainAccount',
  accountDefaults: 'aws.accountDefaults',
  account: index => `aws.accounts[${index}]`,
  pluginAccount: (pluginId, index) =>
    `aws.plugins.${pluginId}.accounts[${index}]`,
  mainAccountIdFix: 'set aws.mainAccount.accountId',
  addAccountFix: () =>
    'Add it to aws.accounts (with a roleName, static keys or a profile), or set aws.accountDefaults.roleName to reach every account through a role.',
  ignoredKeys: [],
};

// A symbol: the paths travel with the config (spreads copy them) yet stay
// out of JSON, logs and the public type.
const KEY_PATHS = Symbol('keyPaths');

type WithKeyPaths = { [KEY_PATHS]?: KeyPaths };

/** Records where the blocks of `config` were read; returns `config`. */
export function withKeyPaths<T extends AwsIntegrationConfig>(
  config: T,
  paths: KeyPaths,
): T {
  (config as WithKeyPaths)[KEY_PATHS] = paths;
  return config;
}

/** Where the blocks of a validated config were read; the aws block's unless recorded. */
export function keyPathsOf(config: AwsIntegrationConfig): KeyPaths {
  return (config as WithKeyPaths)[KEY_PATHS] ?? AWS_BLOCK_PATHS;
}
