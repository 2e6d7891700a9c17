import { keyPathsOf } from '../config/keyPaths';
import { ResolvedSource, mainAccountSource } from '../providers/resolveSource';
import type { AwsIntegrationConfig } from '../types';
import { PluginAccounts } from './PluginAccounts';

/** The cache owner name of the main account. */
export const MAIN_OWNER = '';

/** The cache owner name of an account as a plugin sees it. */
export function ownerOf(pluginId: string | undefined, accountId: string) {
  return `${pluginId ?? ''}/${accountId}`;
}

/**
 * One `aws` config, validated: where each account's credentials come
 * from, for each plugin. Replaced whole on reload, so a lookup sees either
 * the old config or the new one, never a mix. It holds no credentials;
 * those live in the root's cache, by session key.
 */
export class ConfiguredAccounts {
  readonly config: AwsIntegrationConfig;
  readonly timeoutMs: number;
  #main: ResolvedSource | undefined;
  readonly #plugins = new Map<string | undefined, PluginAccounts>();

  constructor(config: AwsIntegrationConfig, timeoutMs: number) {
    this.config = config;
    this.timeoutMs = timeoutMs;
  }

  /** The main account's source, shared by every plugin. */
  get main(): ResolvedSource {
    this.#main ??= mainAccountSource(
      this.config.mainAccount,
      this.timeoutMs,
      this.config.sts,
      keyPathsOf(this.config).mainAccount,
    );
    return this.#main;
  }

  /** What a plugin (undefined: no named plugin) sees of this config. */
  forPlugin(pluginId: string | undefined): PluginAccounts {
    let view = this.#plugins.get(pluginId);
    if (!view) {
      view = new PluginAccounts({
        config: this.config,
        pluginId,
        mainKey: () => this.main.key,
        timeoutMs: this.timeoutMs,
      });
      this.#plugins.set(pluginId, view);
    }
    return view;
  }

  /**
   * The session key an owner (see {@link ownerOf}) has under this config;
   * `members`, the accounts of the organization's last listing, tell which
   * undeclared accounts `aws.organization` serves.
   */
  keyOf(
    owner: string,
    members?: ReadonlyMap<string, unknown>,
  ): string | undefined {
    if (owner === MAIN_OWNER) {
      return this.main.key;
    }
    const slash = owner.lastIndexOf('/');
    const pluginId = owner.slice(0, slash) || undefined;
    const accountId = owner.slice(slash + 1);
    const view = this.forPlugin(pluginId);
    const { organization } = this.config;
    if (organization && members?.has(accountId) && !view.declares(accountId)) {
      return view.organizationSourceOf(accountId, organization).key;
    }
    return view.keyOf(accountId);
  }
}
