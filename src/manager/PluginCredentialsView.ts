import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { accountIdOfLookup, namesNoAccount } from '../aws/identifiers';
import { keyPathsOf } from '../config/keyPaths';
import { LookupRecorder } from '../metrics/AwsCredentialsMetrics';
import { kindWords } from '../providers/CredentialSource';
import { ResolvedSource } from '../providers/resolveSource';
import type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
} from '../types';
import { MAIN_OWNER, ownerOf } from './ConfiguredAccounts';
import { CredentialsRoot, SessionUser } from './CredentialsRoot';
import { notAllowed, notConfigured } from './lookupErrors';
import { PluginAccounts } from './PluginAccounts';

/** Who a view serves. */
export type PluginViewOptions = {
  /** The plugin's ID; undefined for a manager of no named plugin. */
  pluginId?: string;
  /** The plugin's logger, so that its lines name the plugin. */
  logger?: LoggerService;
  /** The plugin's auditor, for refused lookups and new role sessions. */
  auditor?: AuditorService;
};

/** A provider handed out, with a settled promise of itself for warm lookups. */
type Handle = {
  provider: AwsCredentialProvider;
  settled: Promise<AwsCredentialProvider>;
  /** The session key it was created for; a reload that changes it drops the handle. */
  key: string;
};

/**
 * One plugin's AWS credentials: the lookup rules of the original package
 * (account ID, ARN, account defaults, main account), applied to what this
 * plugin may see, over the root's one cache.
 */
export class PluginCredentialsView implements AwsCredentialsManager {
  readonly #root: CredentialsRoot;
  readonly #pluginId: string | undefined;
  readonly #logger?: LoggerService;
  readonly #auditor?: AuditorService;
  readonly #user?: SessionUser;
  readonly #lookups: LookupRecorder;
  /** Providers handed out, by account ID (MAIN_OWNER for the main account). */
  readonly #handles = new Map<string, Handle>();
  #generation: number;

  constructor(root: CredentialsRoot, options: PluginViewOptions = {}) {
    this.#root = root;
    this.#pluginId = options.pluginId;
    this.#logger = options.logger;
    this.#auditor = options.auditor;
    this.#user = options.auditor && {
      pluginId: options.pluginId,
      auditor: options.auditor,
    };
    this.#generation = root.generation;
    this.#lookups = root.metrics.lookups(options.pluginId);
  }

  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    if (this.#generation !== this.#root.generation) {
      this.#dropStaleHandles();
    }
    // The warm path, which allocates nothing: an account looked up before
    // (only valid, allowed IDs ever are), by ID or by an ARN seen before,
    // or the main account once it has been.
    let owner: string | undefined;
    if (!opts) {
      owner = MAIN_OWNER;
    } else if (opts.accountId) {
      owner = opts.accountId;
    } else if (opts.arn) {
      owner = this.#root.knownArnAccount(opts.arn);
    } else if (namesNoAccount(opts)) {
      owner = MAIN_OWNER;
    }
    const settled =
      owner === undefined ? undefined : this.#handles.get(owner)?.settled;
    if (settled) {
      this.#lookups.found();
      return settled;
    }
    return this.#lookUp(opts ?? {}).then(
      this.#lookups.onFound,
      this.#lookups.onFailed,
    );
  }

  get #accounts(): PluginAccounts {
    return this.#root.accounts.forPlugin(this.#pluginId);
  }

  async #lookUp(
    opts: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    const accountId =
      opts.accountId || !opts.arn
        ? accountIdOfLookup(opts)
        : this.#root.arnAccount(opts.arn);
    if (!accountId) {
      return this.#mainHandle().provider;
    }
    const source = await this.#sourceOf(accountId);
    if (source) {
      return this.#handleOf(accountId, source).provider;
    }
    const main = this.#mainHandle();
    main.provider.accountId ??= accountId;
    this.#handles.set(accountId, main);
    this.#logMainServed(`AWS account ${accountId}`, accountId);
    return main.provider;
  }

  /**
   * The lookup rules for an account, under the config in force: refused
   * if an allow-list leaves it out, else its own or the defaults' source,
   * else the main account's (undefined) if it is the main account's ID.
   * Both a fresh lookup and every call of a provider handed out use them.
   *
   * @throws `NotAllowedError`, or `NotFoundError` for an account no config serves.
   */
  async #sourceOf(accountId: string): Promise<ResolvedSource | undefined> {
    await this.#checkAllowed(accountId);
    const source = this.#accounts.sourceOf(accountId);
    if (source || accountId === (await this.#root.mainAccountId())) {
      return source;
    }
    throw notConfigured(accountId, keyPathsOf(this.#root.accounts.config));
  }

  /** Refuses, before any STS call, an account that an allow-list leaves out. */
  async #checkAllowed(accountId: string) {
    const refusing = this.#accounts.refusingList(
      accountId,
      // Only the configured ID: the answer must not depend on whether an
      // earlier lookup happened to learn the main account's ID from STS.
      this.#root.accounts.config.mainAccount.accountId,
    );
    if (!refusing) {
      return;
    }
    const error = notAllowed(accountId, refusing, this.#pluginId);
    try {
      const event = await this.#auditor?.createEvent({
        eventId: 'account-not-allowed',
        severityLevel: 'medium',
        meta: { accountId, allowList: refusing },
      });
      await event?.fail({ error });
    } catch {
      // An auditor that fails does not change the answer.
    }
    throw error;
  }

  /** The provider handed out for a configured account, created once. */
  #handleOf(accountId: string, source: ResolvedSource): Handle {
    let handle = this.#handles.get(accountId);
    if (!handle) {
      const { description } = source;
      handle = remember(
        withoutUndefined({
          accountId,
          stsRegion: description.stsRegion,
          roleArn: description.roleArn,
          sdkCredentialProvider: this.#follow(accountId),
        }),
        source.key,
      );
      this.#handles.set(accountId, handle);
      this.#logger?.debug(
        `AWS account ${accountId} is served by ${
          description.configPath
        } (${kindWords(description.kind)})${
          description.roleSessionName
            ? ` as role session ${description.roleSessionName}`
            : ''
        }`,
        {
          ...(this.#pluginId && { plugin: this.#pluginId }),
          accountId,
          source: description.kind,
          roleArn: description.roleArn,
          roleSessionName: description.roleSessionName,
        },
      );
    }
    return handle;
  }

  /** The main account's provider; it learns its account ID as the original's does. */
  #mainHandle(): Handle {
    let handle = this.#handles.get(MAIN_OWNER);
    if (!handle) {
      const { config, main } = this.#root.accounts;
      handle = remember(
        withoutUndefined({
          accountId: this.#root.knownMainAccountId(),
          stsRegion: config.mainAccount.region,
          sdkCredentialProvider: this.#follow(MAIN_OWNER),
        }),
        main.key,
      );
      this.#handles.set(MAIN_OWNER, handle);
      this.#logMainServed('The main AWS account', handle.provider.accountId);
    }
    return handle;
  }

  /** The debug line of a provider that the main account's credentials serve. */
  #logMainServed(subject: string, accountId: string | undefined) {
    const { kind, configPath } = this.#root.accounts.main.description;
    this.#logger?.debug(
      `${subject} is served by ${configPath} (${kindWords(kind)})`,
      {
        ...(this.#pluginId && { plugin: this.#pluginId }),
        ...(accountId && { accountId }),
        source: kind,
      },
    );
  }

  /**
   * The `sdkCredentialProvider` of a handle: it answers under the config in
   * force at the time of each call, so a plugin that keeps it across a
   * reload follows the reload.
   */
  #follow(accountId: string): AwsCredentialIdentityProvider {
    return async identityProperties =>
      (await this.#providerOf(accountId))(identityProperties);
  }

  /** The cached provider that serves an account under the current config. */
  async #providerOf(accountId: string): Promise<AwsCredentialIdentityProvider> {
    const root = this.#root;
    const source =
      accountId === MAIN_OWNER ? undefined : await this.#sourceOf(accountId);
    return source
      ? root.cached(source, ownerOf(this.#pluginId, accountId), this.#user)
      : root.cached(root.accounts.main, MAIN_OWNER);
  }

  /** After a reload: forgets the handles whose session the new config changed. */
  #dropStaleHandles() {
    const accounts = this.#accounts;
    const mainKey = this.#root.accounts.main.key;
    const mainId = this.#root.accounts.config.mainAccount.accountId;
    for (const [accountId, handle] of this.#handles) {
      let key: string | undefined;
      if (accountId === MAIN_OWNER) {
        key = mainKey;
      } else if (!accounts.refusingList(accountId, mainId)) {
        // An account served by the main account stays so while the main
        // account's source (and so its ID) is unchanged.
        key =
          accounts.keyOf(accountId) ??
          (handle.key === mainKey ? mainKey : undefined);
      }
      if (key !== handle.key) {
        this.#handles.delete(accountId);
      }
    }
    this.#generation = this.#root.generation;
  }
}

function remember(provider: AwsCredentialProvider, key: string): Handle {
  return { provider, settled: Promise.resolve(provider), key };
}

function withoutUndefined(p: AwsCredentialProvider): AwsCredentialProvider {
  return Object.fromEntries(
    Object.entries(p).filter(([, v]) => v !== undefined),
  ) as AwsCredentialProvider;
}
