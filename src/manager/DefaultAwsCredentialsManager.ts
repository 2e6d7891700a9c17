import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError, NotFoundError } from '@backstage/errors';
import { accountIdOfArn, accountIdOfLookup } from '../aws/identifiers';
import { cachingProvider } from '../cache/cachingProvider';
import { SourceCache } from '../cache/SourceCache';
import { withTimeout } from '../cache/withTimeout';
import { configWarnings, readAwsBlock } from '../config';
import { callerAccountId } from '../providers/callerAccountId';
import { describeHow, kindWords } from '../providers/CredentialSource';
import { ResolvedSource } from '../providers/resolveSource';
import { stsEndpointOf } from '../providers/sts';
import {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  AwsIntegrationConfig,
} from '../types';
import { ConfiguredAccounts } from './ConfiguredAccounts';

/** How long one attempt to obtain credentials may take, unless configured. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

/** How many distinct ARNs keep their parsed account ID. */
const ARN_CACHE_SIZE = 10_000;

/** The owner name of the main account in the cache and among the handles. */
const MAIN = '';

/**
 * Options of {@link DefaultAwsCredentialsManager.fromConfig}.
 *
 * @public
 */
export interface AwsCredentialsManagerOptions {
  /** Where start-up, refresh and lookup events are logged. */
  logger?: LoggerService;
}

/** A provider handed out, with a settled promise of itself for warm lookups. */
type Handle = {
  provider: AwsCredentialProvider;
  settled: Promise<AwsCredentialProvider>;
  /** The session key it was created for; a reload that changes it drops the handle. */
  key: string;
};

/**
 * Hands out cached AWS credentials for the accounts of the `aws` config,
 * with the same config keys, types and lookup rules as
 * `DefaultAwsCredentialsManager` of `@backstage/integration-aws-node`.
 *
 * @public
 * @example
 * ```ts
 * const manager = DefaultAwsCredentialsManager.fromConfig(config, { logger });
 * const { sdkCredentialProvider } = await manager.getCredentialProvider({
 *   arn: 'arn:aws:sqs:eu-west-1:111111111111:my-queue',
 * });
 * const sqs = new SQSClient({ credentials: sdkCredentialProvider });
 * ```
 */
export class DefaultAwsCredentialsManager implements AwsCredentialsManager {
  /**
   * Reads and validates the `aws` block of the root config.
   *
   * @throws `InputError` naming every bad key path and its fix.
   */
  static fromConfig(
    config: Config,
    options: AwsCredentialsManagerOptions = {},
  ): DefaultAwsCredentialsManager {
    return new DefaultAwsCredentialsManager(
      DefaultAwsCredentialsManager.#read(config, options.logger),
      options.logger,
    );
  }

  // Private (#) fields stay out of util.inspect and JSON.stringify, so the
  // keys inside the config never show up in a log of this object.
  #accounts: ConfiguredAccounts;
  readonly #logger?: LoggerService;
  readonly #cache = new SourceCache();
  /** Providers handed out, by account ID (MAIN for the main account). */
  readonly #handles = new Map<string, Handle>();
  readonly #arnAccounts = new Map<string, string | undefined>();
  /** The main account's ID as STS told it, for the main source of that key. */
  #mainAccountId: { key: string; id: Promise<string> } | undefined;

  private constructor(
    config: AwsIntegrationConfig,
    logger: LoggerService | undefined,
  ) {
    this.#logger = logger;
    this.#accounts = snapshotOf(config);
  }

  /**
   * Replaces the configuration with a new root config. Providers of
   * unchanged accounts, and their cached credentials, are kept; providers
   * already handed out answer under the new config from their next call.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    const next = snapshotOf(
      DefaultAwsCredentialsManager.#read(config, this.#logger),
    );
    this.#accounts = next;
    this.#cache.retain(owner => next.keyOf(owner));
    for (const [accountId, handle] of this.#handles) {
      if (this.#keyOf(accountId, handle) !== handle.key) {
        this.#handles.delete(accountId);
      }
    }
  }

  /**
   * Returns the credentials for an account ID, for the account of a
   * resource ARN, or for the main account. Every failure is a rejected
   * promise.
   *
   * @throws `InputError` for a malformed account ID or ARN,
   * `NotFoundError` for an account that is not configured.
   */
  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    // The warm path, which allocates nothing: an account looked up before
    // (only valid IDs ever are), by ID or by an ARN seen before.
    const known = opts?.accountId || this.#arnAccounts.get(opts?.arn!);
    const settled = known && this.#handles.get(known)?.settled;
    return settled || this.#lookUp(opts ?? {});
  }

  async #lookUp(
    opts: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    const accountId = this.#accountIdOf(opts);
    if (!accountId) {
      return this.#mainHandle().provider;
    }
    const accounts = this.#accounts;
    const source = accounts.sourceOf(accountId);
    if (source) {
      return this.#handleOf(accountId, source).provider;
    }
    if (accountId === (await this.#mainId())) {
      const main = this.#mainHandle();
      main.provider.accountId ??= accountId;
      this.#handles.set(accountId, main);
      this.#logger?.debug(
        `AWS account ${accountId} is served by aws.mainAccount`,
        { accountId },
      );
      return main.provider;
    }
    throw notConfigured(accountId);
  }

  #accountIdOf(opts: AwsCredentialProviderOptions): string | undefined {
    if (opts.accountId || !opts.arn) {
      return accountIdOfLookup(opts);
    }
    if (this.#arnAccounts.has(opts.arn)) {
      return this.#arnAccounts.get(opts.arn);
    }
    const accountId = accountIdOfArn(opts.arn);
    if (this.#arnAccounts.size >= ARN_CACHE_SIZE) {
      // Maps iterate in insertion order: this forgets the oldest entry.
      this.#arnAccounts.delete(this.#arnAccounts.keys().next().value!);
    }
    this.#arnAccounts.set(opts.arn, accountId);
    return accountId;
  }

  /** The provider handed out for a configured account, created once. */
  #handleOf(accountId: string, source: ResolvedSource): Handle {
    let handle = this.#handles.get(accountId);
    if (!handle) {
      const { description } = source;
      const provider: AwsCredentialProvider = withoutUndefined({
        accountId,
        stsRegion: description.stsRegion,
        roleArn: description.roleArn,
        sdkCredentialProvider: this.#follow(accountId),
      });
      handle = remember(provider, source.key);
      this.#handles.set(accountId, handle);
      this.#logger?.debug(
        `AWS account ${accountId} is served by ${
          description.configPath
        } (${kindWords(description.kind)})`,
        { accountId, roleArn: description.roleArn },
      );
    }
    return handle;
  }

  /** The main account's provider; it learns its account ID as the original's does. */
  #mainHandle(): Handle {
    let handle = this.#handles.get(MAIN);
    if (!handle) {
      const { mainAccount } = this.#accounts.config;
      handle = remember(
        withoutUndefined({
          accountId: mainAccount.accountId,
          stsRegion: mainAccount.region,
          sdkCredentialProvider: this.#follow(MAIN),
        }),
        this.#accounts.main.key,
      );
      this.#handles.set(MAIN, handle);
    }
    return handle;
  }

  /**
   * The `sdkCredentialProvider` of a handle: it answers under the config in
   * force at the time of each call, so a plugin that keeps it across a
   * reload follows the reload.
   */
  #follow(owner: string): AwsCredentialIdentityProvider {
    return async identityProperties =>
      (await this.#providerOf(owner))(identityProperties);
  }

  /** The cached provider that serves `owner` under the current config. */
  async #providerOf(owner: string): Promise<AwsCredentialIdentityProvider> {
    const accounts = this.#accounts;
    const source = owner === MAIN ? accounts.main : accounts.sourceOf(owner);
    if (source) {
      return this.#cached(source, owner);
    }
    if (owner === (await this.#mainId())) {
      return this.#cached(accounts.main, MAIN);
    }
    throw notConfigured(owner);
  }

  #cached(
    source: ResolvedSource,
    owner: string,
  ): AwsCredentialIdentityProvider {
    const accounts = this.#accounts;
    return this.#cache.get(source.key, owner, () => {
      const { description } = source;
      const context = { timeoutMs: accounts.timeoutMs, logger: this.#logger };
      const main =
        owner === MAIN ? undefined : this.#cached(accounts.main, MAIN);
      return cachingProvider(
        source.createFetch(context, main!),
        {
          subject: description.subject,
          how: () => describeHow(description, stsEndpointOf),
          logFields: {
            accountId: description.accountId ?? 'main',
            roleArn: description.roleArn,
            stsRegion: description.stsRegion,
          },
        },
        context,
      );
    });
  }

  /** The key a handle has under the current config. */
  #keyOf(accountId: string, handle: Handle): string | undefined {
    const accounts = this.#accounts;
    const key = accounts.keyOf(accountId);
    if (key !== undefined || accountId === MAIN) {
      return key;
    }
    // An account served by the main account stays so while the main
    // account's source (and so its ID) is unchanged.
    return handle.key === accounts.main.key ? handle.key : undefined;
  }

  /**
   * The main account's ID: configured, or asked of STS once per main
   * source. A failure is not remembered, and the answer belongs to the
   * manager, so a reload during the call cannot lose it.
   */
  #mainId(): Promise<string> {
    const accounts = this.#accounts;
    const { mainAccount } = accounts.config;
    if (mainAccount.accountId) {
      return Promise.resolve(mainAccount.accountId);
    }
    const key = accounts.main.key;
    if (this.#mainAccountId?.key !== key) {
      const credentials = this.#cached(accounts.main, MAIN);
      const id = withTimeout(
        signal =>
          callerAccountId(credentials, mainAccount, accounts.timeoutMs, signal),
        accounts.timeoutMs,
      ).then(
        learned => {
          const main = this.#handles.get(MAIN);
          if (main && main.key === key) {
            main.provider.accountId ??= learned;
          }
          return learned;
        },
        error => {
          if (this.#mainAccountId?.id === id) {
            this.#mainAccountId = undefined; // a failure is not remembered
          }
          throw new ForwardedError(
            'Could not learn the main AWS account ID through STS GetCallerIdentity; set aws.mainAccount.accountId to skip this call',
            error,
          );
        },
      );
      this.#mainAccountId = { key, id };
    }
    return this.#mainAccountId.id;
  }

  static #read(config: Config, logger?: LoggerService): AwsIntegrationConfig {
    const aws = config.getOptional('aws');
    const result: AwsIntegrationConfig =
      aws === undefined
        ? { accounts: [], mainAccount: {}, accountDefaults: {} }
        : readAwsBlock(aws);
    for (const warning of configWarnings(result)) {
      logger?.warn(warning.message, { path: warning.path });
    }
    const main = snapshotOf(result).main.description;
    logger?.info(
      `AWS credentials: ${
        result.accounts.length
      } account(s) configured, main account uses ${kindWords(
        main.kind,
      )}, account defaults ${
        result.accountDefaults.roleName ? 'apply' : 'do not apply'
      }`,
      {
        accounts: result.accounts.length,
        mainAccount: kindWords(main.kind),
        accountDefaults: Boolean(result.accountDefaults.roleName),
      },
    );
    return result;
  }
}

function snapshotOf(config: AwsIntegrationConfig): ConfiguredAccounts {
  return new ConfiguredAccounts(
    config,
    config.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
  );
}

function remember(provider: AwsCredentialProvider, key: string): Handle {
  return { provider, settled: Promise.resolve(provider), key };
}

function notConfigured(accountId: string): NotFoundError {
  return new NotFoundError(
    `There is no AWS integration that matches ${accountId}. Add it to aws.accounts (with a roleName, static keys or a profile), or set aws.accountDefaults.roleName to reach every account through a role.`,
  );
}

function withoutUndefined(p: AwsCredentialProvider): AwsCredentialProvider {
  return Object.fromEntries(
    Object.entries(p).filter(([, v]) => v !== undefined),
  ) as AwsCredentialProvider;
}
