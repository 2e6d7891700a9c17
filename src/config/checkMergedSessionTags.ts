import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
} from '../types';
import { keyPathsOf } from './keyPaths';
import { Problems } from './Problems';
import { MAX_SESSION_TAGS } from './readSessionTags';

type RoleBlock =
  | AwsIntegrationAccountConfig
  | AwsIntegrationDefaultAccountConfig;

/** Whether any block sets session tags; most configs have none to merge. */
export function hasAnySessionTags(config: AwsIntegrationConfig): boolean {
  const blocks = [
    config,
    config.accountDefaults,
    ...config.accounts,
    ...Object.values(config.plugins ?? {}).flatMap(plugin => [
      plugin,
      plugin.accountDefaults ?? {},
      ...(plugin.accounts ?? []),
    ]),
  ];
  return blocks.some(block => block.sessionTags !== undefined);
}

/** Tag keys as STS compares them: without regard to case. */
function keysOf(tags: Record<string, string> | undefined): Set<string> {
  return new Set(Object.keys(tags ?? {}).map(key => key.toLowerCase()));
}

function union(...sets: Set<string>[]): number {
  return new Set(sets.flatMap(set => [...set])).size;
}

/**
 * Refuses at start-up a role session that would carry more tags than STS
 * takes once `aws.sessionTags`, a plugin's and a block's own are merged:
 * each block is within the limit on its own, so only the merge can pass
 * it. Web identity roles take no tags from config, so they are skipped.
 */
export function checkMergedSessionTags(
  config: AwsIntegrationConfig,
  problems: Problems,
) {
  const paths = keyPathsOf(config);
  const global = keysOf(config.sessionTags);
  const globalAccounts = config.accounts.map((block, i) => ({
    block,
    path: paths.account(i),
  }));
  const globalDefaults = {
    block: config.accountDefaults,
    path: paths.accountDefaults,
  };

  checkBlocks([...globalAccounts, globalDefaults], [global], '', problems);

  for (const [pluginId, plugin] of Object.entries(config.plugins ?? {})) {
    const path = `aws.plugins.${pluginId}`;
    const own = keysOf(plugin.sessionTags);
    const shared = union(global, own);
    if (own.size > MAX_SESSION_TAGS) {
      continue; // reported as too many on its own
    }
    if (shared > MAX_SESSION_TAGS) {
      problems.add(
        `${path}.sessionTags`,
        `with aws.sessionTags, the sessions of plugin ${pluginId} would carry ${shared} tags; STS takes at most ${MAX_SESSION_TAGS}, so remove some`,
      );
      continue;
    }
    const blocks: Array<{ block: RoleBlock; path: string }> = (
      plugin.accounts ?? []
    ).map((block, i) => ({ block, path: paths.pluginAccount(pluginId, i) }));
    if (plugin.accountDefaults) {
      blocks.push({
        block: plugin.accountDefaults,
        path: `${path}.accountDefaults`,
      });
    }
    // Without tags of its own, the plugin's sessions of global blocks are
    // the ones checked above.
    if (own.size > 0) {
      const replaced = new Set(plugin.accounts?.map(a => a.accountId));
      blocks.push(
        ...globalAccounts.filter(({ block }) => !replaced.has(block.accountId)),
      );
      if (!plugin.accountDefaults) {
        blocks.push(globalDefaults);
      }
    }
    checkBlocks(
      blocks,
      [global, own],
      ` and ${path}.sessionTags, for plugin ${pluginId}`,
      problems,
    );
  }
}

function checkBlocks(
  blocks: Array<{ block: RoleBlock; path: string }>,
  layers: Set<string>[],
  merged: string,
  problems: Problems,
) {
  const shared = layers.reduce((sum, layer) => sum + layer.size, 0);
  for (const { block, path } of blocks) {
    const tags = block.sessionTags;
    if (!tags || !block.roleName || block.webIdentityTokenFile) {
      continue;
    }
    // A cheap bound first: most blocks are far below the limit.
    if (shared + Object.keys(tags).length <= MAX_SESSION_TAGS) {
      continue;
    }
    const own = keysOf(tags);
    const count = union(...layers, own);
    // More than STS takes on its own is reported by the block's check.
    if (count > MAX_SESSION_TAGS && own.size <= MAX_SESSION_TAGS) {
      problems.add(
        `${path}.sessionTags`,
        `merged with aws.sessionTags${merged}, the session would carry ${count} tags; STS takes at most ${MAX_SESSION_TAGS}, so remove some`,
      );
    }
  }
}
