import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { listPluginAccounts } from '../accounts/listPluginAccounts';
import {
  accountIdOfLookup,
  isAbsent,
  namesNoAccount,
} from '../aws/identifiers';
import { LookupRecorder } from '../metrics/AwsCredentialsMetrics';
import type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsAccountListing,
  AwsCredentialsService,
} from '../types';
import { MAIN_OWNER, ownerOf } from './ConfiguredAccounts';
import { CredentialsRoot, SessionUser } from './CredentialsRoot';
import { Handle, ProviderFields } from './Handle';
import { logMainServed, logServed, ServedLog } from './logServed';
import { LookupRules, MAIN, Served } from './LookupRules';

/** Who a view serves. */
export type PluginViewOptions = {
  /** The plugin's ID; undefined for a manager of no named plugin. */
  pluginId?: string;
  /** The plugin's logger, so that its lines name the plugin. */
  logger?: LoggerService;
  /** The plugin's auditor, for refused lookups and new role sessions. */
  auditor?: AuditorService;
};

/**
 * One plugin's AWS credentials: the lookup rules of the original package
 * (account ID, ARN, account defaults, main account), applied to what this
 * plugin may see, over the root's one cache. Every provider it hands out
 * answers under the config in force: a reload checks them all at once, and
 * a lookup that spans a reload starts over.
 */
export class PluginCredentialsView implements AwsCredentialsService {
  readonly #root: CredentialsRoot;
  readonly #pluginId: string | undefined;
  readonly #rules: LookupRules;
  readonly #log: ServedLog;
  readonly #user?: SessionUser;
  readonly #lookups: LookupRecorder;
  /** Providers handed out, by account ID (MAIN_OWNER for the main account). */
  readonly #handles = new Map<string, Handle>();

  constructor(root: CredentialsRoot, options: PluginViewOptions = {}) {
    this.#root = root;
    this.#pluginId = options.pluginId;
    this.#rules = new LookupRules(root, options.pluginId, options.auditor);
    this.#log = { logger: options.logger, pluginId: options.pluginId, root };
    this.#user = options.auditor && {
      pluginId: options.pluginId,
      auditor: options.auditor,
    };
    this.#lookups = root.metrics.lookups(options.pluginId);
    root.onReload(() => this.#revalidate());
  }

  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    // The warm path, which allocates nothing: an account looked up before
    // (only valid, allowed IDs ever are), by ID or by an ARN seen before,
    // or the main account once it has been.
    let owner: string | undefined;
    if (!opts) {
      owner = MAIN_OWNER;
    } else if (!isAbsent(opts.accountId)) {
      // Only a string: a number equal to a cached ID is an InputError.
      owner = typeof opts.accountId === 'string' ? opts.accountId : undefined;
    } else if (opts.arn) {
      owner = this.#root.knownArnAccount(opts.arn);
    } else if (namesNoAccount(opts)) {
      owner = MAIN_OWNER;
    }
    const handle = owner === undefined ? undefined : this.#handles.get(owner);
    if (handle) {
      if (handle.held) {
        this.#root.hold(handle);
      }
      this.#lookups.found();
      return handle.settled;
    }
    return this.#lookUp(opts ?? {}).then(
      this.#lookups.onFound,
      this.#lookups.onFailed,
    );
  }

  /** How many providers this view keeps, for tests of memory. */
  get handleCount(): number {
    return this.#handles.size;
  }

  listAccounts(): Promise<AwsAccountListing[]> {
    return listPluginAccounts(
      this.#root,
      this.#root.accounts.forPlugin(this.#pluginId),
    );
  }

  async #lookUp(
    opts: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    const byArn =
      isAbsent(opts.accountId) && !isAbsent(opts.arn) ? opts.arn : undefined;
    const accountId = accountIdOfLookup(opts, arn =>
      this.#root.arnAccount(arn),
    );
    if (!accountId) {
      return this.#mainHandle().provider;
    }
    const provider = await this.#lookUpAccount(accountId, h => h.provider);
    if (byArn) {
      this.#root.rememberArn(byArn, accountId);
    }
    return provider;
  }

  /**
   * Applies the lookup rules to an account and, in the same tick as the
   * check that the config they used is still in force, stores its handle
   * and hands it to `then`. A reload while the rules waited (on STS, or an
   * auditor) starts them over, so no answer comes from a replaced config.
   *
   * @throws `NotAllowedError`, or `NotFoundError` for an account no config serves.
   */
  async #lookUpAccount<T>(
    accountId: string,
    then: (handle: Handle, rule: Served) => T,
    held?: Handle,
  ): Promise<T> {
    for (;;) {
      const generation = this.#root.generation;
      let rule: Served;
      try {
        rule = await this.#rules.servedBy(accountId);
      } catch (error) {
        if (generation === this.#root.generation) {
          throw error;
        }
        continue;
      }
      if (generation === this.#root.generation) {
        return then(this.#store(accountId, rule, held), rule);
      }
    }
  }

  /**
   * The handle of a served account: the one handed out before, else
   * `held` (a provider a plugin kept though the view let it go), else a
   * new one; its fields brought in line with `rule`.
   */
  #store(accountId: string, rule: Served, held?: Handle): Handle {
    let handle = this.#handles.get(accountId);
    if (!handle) {
      handle =
        held ?? this.#newHandle(accountId, this.#fieldsOf(accountId, rule));
      this.#handles.set(accountId, handle);
      logServed(this.#log, accountId, rule);
    }
    this.#apply(handle, rule, true);
    if (rule.kind === 'main') {
      // As the original does: the main account's provider learns its ID.
      const main = this.#handles.get(MAIN_OWNER);
      main?.describe(this.#mainFields());
    }
    return handle;
  }

  #newHandle(accountId: string, fields: ProviderFields): Handle {
    return new Handle(accountId, fields, this.#call, this.#forget);
  }

  /**
   * Sets a handle's fields, and whether the root's bound counts it; `used`
   * marks it as the most recently used (a reload does not).
   */
  #apply(handle: Handle, rule: Served, used: boolean) {
    handle.describe(this.#fieldsOf(handle.accountId, rule));
    const held = rule.kind === 'source' && rule.held;
    if (held && (used || !handle.held)) {
      this.#root.hold(handle);
    } else if (!held && handle.held) {
      this.#root.unhold(handle);
    }
    handle.held = held;
  }

  #fieldsOf(accountId: string, rule: Served): ProviderFields {
    if (rule.kind === 'main') {
      const { region } = this.#root.accounts.config.mainAccount;
      return { accountId, stsRegion: region };
    }
    const { stsRegion, roleArn } = rule.source.description;
    return { accountId, stsRegion, roleArn };
  }

  #mainFields(): ProviderFields {
    return {
      accountId: this.#root.knownMainAccountId(),
      stsRegion: this.#root.accounts.config.mainAccount.region,
    };
  }

  /** The main account's provider; it learns its account ID as the original's does. */
  #mainHandle(): Handle {
    let handle = this.#handles.get(MAIN_OWNER);
    if (!handle) {
      handle = this.#newHandle(MAIN_OWNER, this.#mainFields());
      this.#handles.set(MAIN_OWNER, handle);
      logMainServed(
        this.#log,
        'The main AWS account',
        handle.provider.accountId,
      );
    }
    return handle;
  }

  /**
   * A call of a provider handed out: its linked session while the config
   * and the root's bound leave it alone; otherwise the lookup rules again,
   * under the config in force.
   */
  readonly #call = (
    handle: Handle,
    identityProperties?: Record<string, unknown>,
  ) => {
    const session = handle.session;
    if (session) {
      if (handle.held) {
        this.#root.hold(handle);
      }
      return session(identityProperties);
    }
    return this.#relink(handle).then(linked => linked(identityProperties));
  };

  /** The session of a handle under the config in force, linked to it. */
  async #relink(handle: Handle): Promise<AwsCredentialIdentityProvider> {
    if (handle.accountId === MAIN_OWNER) {
      return this.#link(handle, MAIN);
    }
    return this.#lookUpAccount(
      handle.accountId,
      (current, rule) => this.#link(current, rule),
      handle,
    );
  }

  /** Links a handle to its cached session, held by it until unlinked. */
  #link(handle: Handle, rule: Served): AwsCredentialIdentityProvider {
    const root = this.#root;
    if (rule.kind === 'main') {
      handle.session = root.cached(root.accounts.main, MAIN_OWNER);
      handle.sessionKey = undefined;
    } else {
      const owner = ownerOf(this.#pluginId, handle.accountId);
      handle.session = root.cached(rule.source, owner, this.#user);
      handle.sessionKey = rule.source.key;
    }
    return handle.session;
  }

  /** Lets go of a handle's session; its next call looks it up again. */
  #unlink(handle: Handle) {
    if (handle.sessionKey !== undefined) {
      const owner = ownerOf(this.#pluginId, handle.accountId);
      this.#root.release(handle.sessionKey, owner);
    }
    handle.session = undefined;
    handle.sessionKey = undefined;
  }

  /** Forgets a handle (evicted, or no longer served); a plugin may still hold it. */
  readonly #forget = (handle: Handle) => {
    if (this.#handles.get(handle.accountId) === handle) {
      this.#handles.delete(handle.accountId);
    }
    this.#root.unhold(handle);
    handle.held = false;
    this.#unlink(handle);
  };

  /**
   * At a reload: every handle is brought in line with the new config at
   * once, as a fresh lookup would be, or forgotten if the new config does
   * not serve its account (or only STS could tell).
   */
  #revalidate() {
    for (const handle of this.#handles.values()) {
      if (handle.accountId === MAIN_OWNER) {
        handle.describe(this.#mainFields());
        this.#unlink(handle); // the main account's source may have changed
        continue;
      }
      const rule = this.#rules.ruleFor(handle.accountId);
      if (rule.kind !== 'source' && rule.kind !== 'main') {
        this.#forget(handle);
        continue;
      }
      this.#apply(handle, rule, false);
      if (rule.kind === 'main' || rule.source.key !== handle.sessionKey) {
        this.#unlink(handle);
      }
    }
  }
}
