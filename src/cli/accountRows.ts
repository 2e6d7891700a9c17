import type { CredentialSourceDescription } from '../providers/CredentialSource';
import { pluginSettingsOf } from '../config';
import { describeAwsConfig } from '../manager/describeAwsConfig';
import { StsSettings, stsEndpointOf } from '../providers/sts';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
} from '../types';
import { accessKeyIdPrefix } from './redact';
import { AccountRow } from './types';

/** The placeholder describeAwsConfig puts where an account ID goes. */
const PLACEHOLDER = '{accountId}';

/** The rows of the check: the main account, declared and requested accounts. */
export type AccountRows = {
  accounts: AccountRow[];
  /** How any other account is reached; absent when defaults do not apply. */
  accountDefaults?: AccountRow;
};

function rowOf(
  source: CredentialSourceDescription | undefined,
  block: Partial<AwsIntegrationAccountConfig> | undefined,
  accountId: string | undefined,
  requested: boolean,
  sts: StsSettings,
): AccountRow {
  const row: AccountRow = {
    source,
    externalId: Boolean(block?.externalId),
    requested,
  };
  if (accountId !== undefined) {
    row.accountId = accountId;
  }
  if (block?.accessKeyId && block.secretAccessKey) {
    row.accessKeyIdPrefix = accessKeyIdPrefix(block.accessKeyId);
  }
  if (source?.stsRegion) {
    row.stsEndpoint = stsEndpointOf(source.stsRegion, sts);
  }
  return row;
}

/** The defaults' description for one account ID. */
function forAccount(
  template: CredentialSourceDescription,
  accountId: string,
): CredentialSourceDescription {
  const fill = (s: string | undefined) => s?.split(PLACEHOLDER).join(accountId);
  const filled = { ...template, accountId, subject: fill(template.subject)! };
  if (template.roleArn) {
    filled.roleArn = fill(template.roleArn);
  }
  return filled;
}

/**
 * Describes every account the check covers, through the package's own
 * description of sources (describeAwsConfig), so the table cannot drift
 * from what the manager does. An account named with `--account` is the
 * declared one if it is declared, else one reached through
 * `aws.accountDefaults`, else one only the main account might serve (if
 * it is the main account's ID, which a probe finds out).
 */
export function accountRows(
  config: AwsIntegrationConfig,
  timeoutMs: number,
  requestedIds: readonly string[],
  pluginId?: string,
): AccountRows {
  const described = describeAwsConfig(config, timeoutMs, pluginId);
  const plugin = pluginSettingsOf(config, pluginId);
  // As the plugin sees them: its own entries over the global ones, in the
  // order describeAwsConfig lists them.
  const blocks = new Map<string, AwsIntegrationAccountConfig>();
  for (const account of [...config.accounts, ...(plugin?.accounts ?? [])]) {
    blocks.set(account.accountId, account);
  }
  const sts = config.sts ?? {};
  const requested = new Set(requestedIds);
  const main = rowOf(
    described.mainAccount,
    config.mainAccount,
    undefined,
    false,
    sts,
  );
  const declared = described.accounts.map(source =>
    rowOf(
      source,
      blocks.get(source.accountId!),
      source.accountId,
      requested.has(source.accountId!),
      sts,
    ),
  );
  const declaredIds = new Set(blocks.keys());
  const defaults: AwsIntegrationDefaultAccountConfig =
    plugin?.accountDefaults ?? config.accountDefaults;
  const template = described.accountDefaults;
  const extra = [...requested]
    .filter(id => !declaredIds.has(id))
    .map(id =>
      template
        ? rowOf(forAccount(template, id), defaults, id, true, sts)
        : rowOf(undefined, undefined, id, true, sts),
    );
  return {
    accounts: [main, ...declared, ...extra],
    ...(template && {
      accountDefaults: rowOf(template, defaults, undefined, false, sts),
    }),
  };
}
