import type { CredentialSourceDescription } from '../providers/CredentialSource';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts } from './ConfiguredAccounts';

/** Where every configured account's credentials come from; no secret. */
export type AwsConfigDescription = {
  mainAccount: CredentialSourceDescription;
  accounts: CredentialSourceDescription[];
  /**
   * How an unlisted account is reached, with `{accountId}` in the role
   * ARN; absent when defaults do not apply.
   */
  accountDefaults?: CredentialSourceDescription;
};

/**
 * Describes a validated `aws` config as a plugin (or, without `pluginId`,
 * a manager of no plugin) sees it, with the precedence the manager uses,
 * for the dev demo and the `check` command.
 */
export function describeAwsConfig(
  config: AwsIntegrationConfig,
  timeoutMs: number,
  pluginId?: string,
): AwsConfigDescription {
  const snapshot = new ConfiguredAccounts(config, timeoutMs);
  const accounts = snapshot.forPlugin(pluginId);
  const describe = (accountId: string) =>
    accounts.sourceOf(accountId)!.description;
  const defaults = accounts.defaultsApply ? describe('{accountId}') : undefined;
  return {
    mainAccount: snapshot.main.description,
    accounts: accounts.declaredAccountIds.map(describe),
    ...(defaults && { accountDefaults: defaults }),
  };
}
