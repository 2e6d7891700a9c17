import { pluginSettingsOf, substitutePluginId } from '../config';
import { keyPathsOf } from '../config/keyPaths';
import type { RoleSession } from '../providers/CredentialSource';
import { ROLE_SESSION_NAME } from '../providers/sts';
import { ResolvedSource, accountSource } from '../providers/resolveSource';
import { sessionShapingOf } from './sessionShapingOf';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationOrganizationConfig,
  AwsIntegrationPluginConfig,
} from '../types';

/** What `{pluginId}` becomes for a manager that serves no named plugin. */
export const UNNAMED_PLUGIN = 'backstage';

/** A block that says how accounts are reached, and where it was read. */
type Block = {
  config: AwsIntegrationAccountConfig | AwsIntegrationDefaultAccountConfig;
  path: string;
  /** Read from `aws.plugins.<id>`: more specific than the plugin's own settings. */
  fromPlugin: boolean;
};

/** A list of allowed accounts and the key it was read from. */
type AllowList = { ids: ReadonlySet<string>; path: string };

/**
 * One plugin's view of a config: the global accounts with the plugin's own
 * entries over them, its account defaults, its allow-lists and its role
 * session settings, in this order of precedence (most specific first):
 * the plugin's `accounts` entry, the plugin's own settings, the global
 * `accounts` entry, then `accountDefaults` and the `aws.` defaults.
 */
export class PluginAccounts {
  readonly pluginId: string | undefined;
  readonly #config: AwsIntegrationConfig;
  readonly #plugin: AwsIntegrationPluginConfig;
  readonly #mainKey: () => string;
  readonly #timeoutMs: number;
  readonly #declared = new Map<string, Block>();
  readonly #defaults: Block | undefined;
  readonly #allowLists: AllowList[] = [];
  /** Sources of listed accounts resolved so far, by account ID. */
  readonly #sources = new Map<string, ResolvedSource>();
  /** Sources of accounts discovered in the organization, by account ID. */
  readonly #discovered = new Map<string, ResolvedSource>();

  constructor(options: {
    config: AwsIntegrationConfig;
    pluginId: string | undefined;
    /** The main account source's key, which roles it signs depend on. */
    mainKey: () => string;
    timeoutMs: number;
  }) {
    const { config, pluginId } = options;
    this.pluginId = pluginId;
    this.#config = config;
    this.#plugin = pluginSettingsOf(config, pluginId) ?? {};
    this.#mainKey = options.mainKey;
    this.#timeoutMs = options.timeoutMs;

    const paths = keyPathsOf(config);
    config.accounts.forEach((account, i) =>
      this.#declared.set(account.accountId, {
        config: account,
        path: paths.account(i),
        fromPlugin: false,
      }),
    );
    const pluginPath = `aws.plugins.${pluginId}`;
    this.#plugin.accounts?.forEach((account, i) =>
      this.#declared.set(account.accountId, {
        config: account,
        path: paths.pluginAccount(pluginId!, i),
        fromPlugin: true,
      }),
    );

    // A plugin's accountDefaults replace the global ones; {} switches them off.
    const defaults: Block = this.#plugin.accountDefaults
      ? {
          config: this.#plugin.accountDefaults,
          path: `${pluginPath}.accountDefaults`,
          fromPlugin: true,
        }
      : {
          config: config.accountDefaults,
          path: paths.accountDefaults,
          fromPlugin: false,
        };
    this.#defaults = defaults.config.roleName ? defaults : undefined;

    if (config.allowedAccountIds) {
      this.#allowLists.push({
        ids: new Set(config.allowedAccountIds),
        path: 'aws.allowedAccountIds',
      });
    }
    if (this.#plugin.allowedAccountIds) {
      this.#allowLists.push({
        ids: new Set(this.#plugin.allowedAccountIds),
        path: `${pluginPath}.allowedAccountIds`,
      });
    }
  }

  /** Whether account defaults reach accounts that are not listed. */
  get defaultsApply(): boolean {
    return this.#defaults !== undefined;
  }

  /**
   * The allow-list that refuses `accountId`, if any. The main account is
   * never refused; pass its ID when it is known.
   */
  refusingList(accountId: string, mainAccountId?: string): string | undefined {
    if (accountId === mainAccountId) {
      return undefined;
    }
    return this.#allowLists.find(list => !list.ids.has(accountId))?.path;
  }

  /**
   * The source of a listed account, or of any account through the account
   * defaults; undefined when neither applies. Only listed accounts' sources
   * are kept: any account ID reaches the defaults, and the root bounds how
   * many of those the views hold.
   */
  sourceOf(accountId: string): ResolvedSource | undefined {
    const declared = this.#declared.get(accountId);
    if (!declared) {
      return this.#defaults && this.#resolve(accountId, this.#defaults);
    }
    let source = this.#sources.get(accountId);
    if (!source) {
      source = this.#resolve(accountId, declared);
      this.#sources.set(accountId, source);
    }
    return source;
  }

  /** Whether an account is listed for this plugin (not reached through defaults). */
  declares(accountId: string): boolean {
    return this.#declared.has(accountId);
  }

  /** How many accounts' sources are kept resolved, for tests of memory. */
  get resolvedCount(): number {
    return this.#sources.size;
  }

  /**
   * The source of an account discovered in the organization: its role,
   * with this plugin's session name and tags as for any other account.
   */
  organizationSourceOf(
    accountId: string,
    organization: AwsIntegrationOrganizationConfig,
  ): ResolvedSource {
    let source = this.#discovered.get(accountId);
    if (!source) {
      const {
        roleName,
        externalId,
        partition,
        region,
        assumeRoleChain,
        sessionPolicy,
        sessionPolicyArns,
        sourceIdentity,
      } = organization;
      source = this.#resolve(accountId, {
        config: {
          roleName,
          externalId,
          partition,
          region,
          ...(assumeRoleChain && { assumeRoleChain }),
          ...(sessionPolicy !== undefined && { sessionPolicy }),
          ...(sessionPolicyArns && { sessionPolicyArns }),
          ...(sourceIdentity !== undefined && { sourceIdentity }),
        },
        path: 'aws.organization',
        fromPlugin: false,
      });
      this.#discovered.set(accountId, source);
    }
    return source;
  }

  /** The accounts listed for this plugin, globally or in its own settings. */
  get declaredAccountIds(): string[] {
    return [...this.#declared.keys()];
  }

  /**
   * How an account that is not listed is reached, described with
   * `{accountId}` in place of its ID; undefined when defaults do not apply.
   */
  describeDefaults(): ResolvedSource['description'] | undefined {
    return this.#defaults && this.sourceOf('{accountId}')?.description;
  }

  /** The session key of an account here, or undefined if it has none. */
  keyOf(accountId: string): string | undefined {
    return this.sourceOf(accountId)?.key;
  }

  #resolve(accountId: string, block: Block): ResolvedSource {
    const config = {
      ...block.config,
      accountId,
    } as AwsIntegrationAccountConfig;
    return accountSource(
      config,
      block.path,
      this.#mainKey(),
      this.#timeoutMs,
      this.#config.sts,
      this.#session(block),
    );
  }

  /** The role session of a block for this plugin, `{pluginId}` substituted. */
  #session(block: Block): RoleSession {
    const plugin = this.#plugin;
    const global = this.#config;
    const own = block.config;
    const name = block.fromPlugin
      ? own.roleSessionName ?? plugin.roleSessionName
      : plugin.roleSessionName ?? own.roleSessionName;
    const id = this.pluginId ?? UNNAMED_PLUGIN;

    const tags: Record<string, string> = {};
    const layers = block.fromPlugin
      ? [global.sessionTags, plugin.sessionTags, own.sessionTags]
      : [global.sessionTags, own.sessionTags, plugin.sessionTags];
    for (const layer of layers) {
      for (const [key, value] of Object.entries(layer ?? {})) {
        // STS compares tag keys without regard to case: the later layer wins.
        for (const existing of Object.keys(tags)) {
          if (existing.toLowerCase() === key.toLowerCase()) {
            delete tags[existing];
          }
        }
        tags[key] = value.split('{pluginId}').join(id);
      }
    }
    // STS's limit of 50 tags on the merge is checked at start-up.
    const tagCount = Object.keys(tags).length;
    return {
      roleSessionName: substitutePluginId(
        name ?? global.roleSessionName ?? ROLE_SESSION_NAME,
        id,
      ),
      ...(tagCount > 0 && { tags }),
      ...(own.durationSeconds !== undefined && {
        durationSeconds: own.durationSeconds,
      }),
      ...sessionShapingOf(own, plugin, block.fromPlugin, id),
    };
  }
}
