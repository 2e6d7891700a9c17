import type { CredentialsRoot } from '../manager/CredentialsRoot';
import type { PluginAccounts } from '../manager/PluginAccounts';
import type { AwsAccountListing } from '../types';

/**
 * The accounts a plugin may use, each once, in the order of precedence of
 * lookups: the main account, the declared accounts, then those discovered
 * in the organization. Allow-lists apply as they do to lookups.
 */
export async function listPluginAccounts(
  root: CredentialsRoot,
  accounts: PluginAccounts,
): Promise<AwsAccountListing[]> {
  const mainId = await root.mainAccountId();
  // As lookups do: only the configured ID exempts the main account.
  const configuredMainId = root.accounts.config.mainAccount.accountId;
  const listed: AwsAccountListing[] = [{ accountId: mainId, source: 'main' }];
  const seen = new Set([mainId]);
  const add = (entry: AwsAccountListing) => {
    if (
      !seen.has(entry.accountId) &&
      !accounts.refusingList(entry.accountId, configuredMainId)
    ) {
      seen.add(entry.accountId);
      listed.push(entry);
    }
  };
  for (const accountId of accounts.declaredAccountIds) {
    add({ accountId, source: 'declared' });
  }
  const organization = root.organization;
  if (organization) {
    const { accounts: members } = await organization.current();
    for (const member of members.values()) {
      add({ ...member, source: 'organization' });
    }
  }
  return listed;
}
