import { existsSync } from 'node:fs';
import { isKnownPartition } from '../aws/partitions';
import type { AwsIntegrationConfig } from '../types';
import { keyPathsOf } from './keyPaths';

/** Something in a valid config that may still not work, with its key path. */
export type ConfigWarning = { path: string; message: string };

/**
 * What a valid config may still get wrong at run time: a token file that
 * is not mounted yet, a partition newer than this AWS SDK, or an account
 * entry that an allow-list keeps from ever being looked up.
 */
export function configWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  return [
    ...ignoredKeyWarnings(config),
    ...blockWarnings(config),
    ...allowListWarnings(config),
    ...organizationWarnings(config),
  ];
}

/**
 * One warning for the account keys of the `aws` block that a connection
 * replaces, as the connections framework warns for its own service.
 */
function ignoredKeyWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  const { ignoredKeys, origin } = keyPathsOf(config);
  if (ignoredKeys.length === 0) {
    return [];
  }
  return [
    {
      path: ignoredKeys[0],
      message: `${ignoredKeys.join(
        ', ',
      )} of the aws block are ignored: the aws connection ${origin} holds the AWS accounts. Move what is missing into the connection (backstage-aws-credentials check --print-connections prints it), then remove them from the aws block; its other settings stay in force.`,
    },
  ];
}

/** A refresh under a minute spends Organizations' low request rate for little. */
function organizationWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  const refreshMs = config.organization?.refreshMs;
  if (refreshMs === undefined || refreshMs >= 60_000) {
    return [];
  }
  return [
    {
      path: 'aws.organization.refresh',
      message: `aws.organization.refresh is under one minute (${refreshMs} ms); every refresh lists the whole organization, and AWS Organizations allows few requests per second: a refresh of minutes or hours is usual`,
    },
  ];
}

function blockWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  const paths = keyPathsOf(config);
  const blocks = [
    { path: paths.accountDefaults, block: config.accountDefaults },
    ...config.accounts.map((block, i) => ({
      path: paths.account(i),
      block,
    })),
  ];
  for (const [pluginId, plugin] of Object.entries(config.plugins ?? {})) {
    const path = `aws.plugins.${pluginId}`;
    if (plugin.accountDefaults) {
      blocks.push({
        path: `${path}.accountDefaults`,
        block: plugin.accountDefaults,
      });
    }
    plugin.accounts?.forEach((block, i) =>
      blocks.push({ path: paths.pluginAccount(pluginId, i), block }),
    );
  }
  const warnings: ConfigWarning[] = [];
  for (const { path, block } of blocks) {
    const file = block.webIdentityTokenFile;
    if (file && !existsSync(file)) {
      warnings.push({
        path: `${path}.webIdentityTokenFile`,
        message: `${path}.webIdentityTokenFile ${file} does not exist yet; credentials for this role will fail until it does`,
      });
    }
    const partition = block.partition;
    if (partition && !isKnownPartition(partition)) {
      const where = block.region
        ? `its STS region is ${path}.region (${block.region})`
        : `set ${path}.region to its STS region, or lookups of this role will fail`;
      warnings.push({
        path: `${path}.partition`,
        message: `${path}.partition '${partition}' is not a partition this AWS SDK knows; ${where}`,
      });
    }
  }
  return warnings;
}

type AllowList = { ids: ReadonlySet<string>; path: string };

/**
 * Account entries that an allow-list refuses, and IDs of a plugin's list
 * that the global list refuses: a plugin's list only narrows the global
 * one. The main account is never refused, so its entry is left alone.
 */
function allowListWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const main = config.mainAccount.accountId;
  const anyList =
    config.allowedAccountIds ||
    Object.values(config.plugins ?? {}).some(p => p.allowedAccountIds);
  if (!anyList) {
    return warnings;
  }
  const paths = keyPathsOf(config);
  if (!main) {
    const subject =
      paths.origin === 'aws'
        ? 'aws.mainAccount.accountId'
        : "The main account's accountId";
    warnings.push({
      path: `${paths.mainAccount}.accountId`,
      message: `${subject} is not set, so allow-lists cannot tell the main account by its ID: lookups of it by ID are refused unless a list names it; ${paths.mainAccountIdFix} (lookups with no account always get the main account)`,
    });
  }
  const globalList: AllowList | undefined = config.allowedAccountIds && {
    ids: new Set(config.allowedAccountIds),
    path: 'aws.allowedAccountIds',
  };
  const checkEntries = (
    accounts: Array<{ accountId: string }> | undefined,
    pathOf: (index: number) => string,
    lists: AllowList[],
  ) =>
    accounts?.forEach(({ accountId }, i) => {
      const refusing = lists.find(list => !list.ids.has(accountId));
      if (refusing && accountId !== main) {
        warnings.push({
          path: `${pathOf(i)}.accountId`,
          message: `${pathOf(i)} (account ${accountId}) is not in ${
            refusing.path
          }, so it can never be looked up; add ${accountId} to ${
            refusing.path
          }, or remove the entry`,
        });
      }
    });

  const globalLists = globalList ? [globalList] : [];
  checkEntries(config.accounts, paths.account, globalLists);
  for (const [pluginId, plugin] of Object.entries(config.plugins ?? {})) {
    const path = `aws.plugins.${pluginId}`;
    const lists = [...globalLists];
    if (plugin.allowedAccountIds) {
      lists.push({
        ids: new Set(plugin.allowedAccountIds),
        path: `${path}.allowedAccountIds`,
      });
    }
    checkEntries(plugin.accounts, i => paths.pluginAccount(pluginId, i), lists);
    plugin.allowedAccountIds?.forEach((accountId, i) => {
      if (globalList && !globalList.ids.has(accountId) && accountId !== main) {
        warnings.push({
          path: `${path}.allowedAccountIds[${i}]`,
          message: `${path}.allowedAccountIds[${i}] (account ${accountId}) is not in aws.allowedAccountIds, so plugin ${pluginId} can never look it up (a plugin's list only narrows the global one); add ${accountId} to aws.allowedAccountIds, or remove it`,
        });
      }
    });
  }
  return warnings;
}
