import { existsSync } from 'node:fs';
import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError, InputError, NotFoundError } from '@backstage/errors';
import { ACCOUNT_ID, readAwsBlock } from './config';
import {
  ProviderContext,
  accountProvider,
  mainAccountKind,
  mainAccountProvider,
} from './providers/accountProviders';
import { callerAccountId } from './providers/callerAccountId';
import { defaultStsRegion } from './providers/sts';
import {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
} from './types';

/** How long one attempt to obtain credentials may take, unless configured. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

/** How many distinct ARNs keep their parsed account ID. */
const ARN_CACHE_SIZE = 10_000;

/**
 * Options of {@link DefaultAwsCredentialsManager.fromConfig}.
 *
 * @public
 */
export interface AwsCredentialsManagerOptions {
  /** Where start-up, refresh and lookup events are logged. */
  logger?: LoggerService;
}

/**
 * Everything one `aws` config gives: replaced whole on reload, so a lookup
 * sees either the old config or the new one, never a mix.
 */
class ConfiguredAccounts {
  #main: AwsCredentialProvider | undefined;
  /**
   * Providers already handed out, by account ID, each with a settled
   * promise of itself: a warm lookup returns that promise as it is.
   */
  readonly #resolved = new Map<
    string,
    { provider: AwsCredentialProvider; settled: Promise<AwsCredentialProvider> }
  >();
  readonly #declared: Map<string, AwsIntegrationAccountConfig>;
  readonly #config: AwsIntegrationConfig;
  readonly #context: ProviderContext;
  #mainAccountId: Promise<string> | undefined;

  constructor(
    config: AwsIntegrationConfig,
    context: ProviderContext,
    previous?: ConfiguredAccounts,
  ) {
    this.#config = config;
    this.#context = context;
    this.#declared = new Map(config.accounts.map(a => [a.accountId, a]));

    // Role providers sign with the main account's credentials: they can be
    // kept only while the main account stays the same.
    if (previous && previous.#sameMainAccount(config)) {
      this.#main = previous.#main;
      this.#mainAccountId = previous.#mainAccountId;
      this.#keepUnchanged(previous);
    }
    if (config.mainAccount.accountId) {
      this.#mainAccountId = Promise.resolve(config.mainAccount.accountId);
    }
  }

  /** The main account's provider, built at first use like all others. */
  get main(): AwsCredentialProvider {
    this.#main ??= mainAccountProvider(this.#config.mainAccount, this.#context);
    return this.#main;
  }

  /** Where an account's credentials come from, if it is configured. */
  accountConfig(accountId: string): AwsIntegrationAccountConfig | undefined {
    const declared = this.#declared.get(accountId);
    if (declared) {
      return declared;
    }
    const defaults = this.#config.accountDefaults;
    return defaults.roleName ? { ...defaults, accountId } : undefined;
  }

  /** The provider of an account already looked up, as a settled promise. */
  settled(accountId: string): Promise<AwsCredentialProvider> | undefined {
    return this.#resolved.get(accountId)?.settled;
  }

  remember(accountId: string, provider: AwsCredentialProvider) {
    this.#resolved.set(accountId, {
      provider,
      settled: Promise.resolve(provider),
    });
  }

  providerFor(accountId: string): AwsCredentialProvider | undefined {
    const known = this.#resolved.get(accountId);
    if (known) {
      return known.provider;
    }
    const config = this.accountConfig(accountId);
    if (!config) {
      return undefined;
    }
    const provider = accountProvider(
      config,
      this.main.sdkCredentialProvider,
      this.#context,
    );
    this.remember(accountId, provider);
    this.#context.logger?.debug(
      `AWS account ${accountId} is served by ${
        this.#declared.has(accountId) ? 'aws.accounts' : 'aws.accountDefaults'
      }`,
      { accountId, roleArn: provider.roleArn },
    );
    return provider;
  }

  /** The main account's ID, asked of STS at most once (or configured). */
  mainAccountId(): Promise<string> {
    if (!this.#mainAccountId) {
      const region = this.#config.mainAccount.region ?? defaultStsRegion('aws');
      this.#mainAccountId = callerAccountId(
        this.main.sdkCredentialProvider,
        region,
        this.#context.timeoutMs,
      ).catch(error => {
        this.#mainAccountId = undefined; // a failure is not remembered
        throw new ForwardedError(
          'Could not learn the main AWS account ID through STS GetCallerIdentity; set aws.mainAccount.accountId to skip this call',
          error,
        );
      });
    }
    return this.#mainAccountId;
  }

  #sameMainAccount(next: AwsIntegrationConfig): boolean {
    return (
      JSON.stringify(next.mainAccount) ===
        JSON.stringify(this.#config.mainAccount) &&
      next.credentialsTimeoutMs === this.#config.credentialsTimeoutMs
    );
  }

  /** Keeps the providers (and so the cached credentials) of unchanged accounts. */
  #keepUnchanged(previous: ConfiguredAccounts) {
    for (const [accountId, { provider }] of previous.#resolved) {
      const before = previous.accountConfig(accountId);
      const after = this.accountConfig(accountId);
      if (provider === previous.#main) {
        if (!after) {
          this.remember(accountId, this.main);
        }
      } else if (after && JSON.stringify(before) === JSON.stringify(after)) {
        this.remember(accountId, provider);
      }
    }
  }
}

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
  readonly #arnAccounts = new Map<string, string | undefined>();

  private constructor(
    config: AwsIntegrationConfig,
    logger: LoggerService | undefined,
  ) {
    this.#logger = logger;
    this.#accounts = new ConfiguredAccounts(config, contextOf(config, logger));
  }

  /**
   * Replaces the configuration with a new root config. Providers of
   * unchanged accounts, and their cached credentials, are kept; calls in
   * flight finish with the providers they already hold.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    const next = DefaultAwsCredentialsManager.#read(config, this.#logger);
    this.#accounts = new ConfiguredAccounts(
      next,
      contextOf(next, this.#logger),
      this.#accounts,
    );
  }

  /**
   * Returns the credentials for an account ID, for the account of a
   * resource ARN, or for the main account.
   *
   * @throws `InputError` for a malformed account ID or ARN,
   * `NotFoundError` for an account that is not configured.
   */
  getCredentialProvider(
    opts: AwsCredentialProviderOptions = {},
  ): Promise<AwsCredentialProvider> {
    // The warm path, which allocates nothing: an account looked up before
    // (only valid IDs ever are), by ID or by an ARN seen before.
    const known =
      opts.accountId ??
      (opts.arn === undefined ? undefined : this.#arnAccounts.get(opts.arn));
    const settled = known && this.#accounts.settled(known);
    return settled || this.#lookUp(opts);
  }

  async #lookUp(
    opts: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    const accounts = this.#accounts;
    const accountId = this.#accountIdOf(opts);
    if (!accountId) {
      return accounts.main;
    }
    const provider = accounts.providerFor(accountId);
    if (provider) {
      return provider;
    }
    if (accountId === (await accounts.mainAccountId())) {
      accounts.remember(accountId, accounts.main);
      this.#logger?.debug(
        `AWS account ${accountId} is served by aws.mainAccount`,
        {
          accountId,
        },
      );
      return accounts.main;
    }
    throw new NotFoundError(
      `There is no AWS configuration for account ${accountId}. Add it to aws.accounts (with a roleName, static keys or a profile), or set aws.accountDefaults.roleName to reach every account through a role.`,
    );
  }

  #accountIdOf(opts: AwsCredentialProviderOptions): string | undefined {
    if (opts.accountId !== undefined) {
      if (!ACCOUNT_ID.test(opts.accountId)) {
        throw new InputError(
          `Invalid AWS account ID '${opts.accountId}'; an account ID is 12 digits`,
        );
      }
      return opts.accountId;
    }
    return opts.arn === undefined ? undefined : this.#accountIdOfArn(opts.arn);
  }

  #accountIdOfArn(arn: string): string | undefined {
    if (this.#arnAccounts.has(arn)) {
      return this.#arnAccounts.get(arn);
    }
    if (!isArn(arn)) {
      throw new InputError(
        `Invalid ARN '${arn}'; an ARN has the form arn:partition:service:region:account-id:resource`,
      );
    }
    const accountId = parseArn(arn).accountId || undefined;
    if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
      throw new InputError(
        `Invalid ARN '${arn}'; its account ID '${accountId}' is not 12 digits`,
      );
    }
    if (this.#arnAccounts.size >= ARN_CACHE_SIZE) {
      // Maps iterate in insertion order: this forgets the oldest entry.
      this.#arnAccounts.delete(this.#arnAccounts.keys().next().value!);
    }
    this.#arnAccounts.set(arn, accountId);
    return accountId;
  }

  static #read(config: Config, logger?: LoggerService): AwsIntegrationConfig {
    const aws = config.getOptional('aws');
    const result: AwsIntegrationConfig =
      aws === undefined
        ? { accounts: [], mainAccount: {}, accountDefaults: {} }
        : readAwsBlock(aws);
    warnAboutMissingTokenFiles(result, logger);
    logger?.info(
      `AWS credentials: ${
        result.accounts.length
      } account(s) configured, main account uses ${mainAccountKind(
        result.mainAccount,
      )}, account defaults ${
        result.accountDefaults.roleName ? 'apply' : 'do not apply'
      }`,
      {
        accounts: result.accounts.length,
        mainAccount: mainAccountKind(result.mainAccount),
        accountDefaults: Boolean(result.accountDefaults.roleName),
      },
    );
    return result;
  }
}

function contextOf(
  config: AwsIntegrationConfig,
  logger: LoggerService | undefined,
): ProviderContext {
  return {
    timeoutMs: config.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
    logger,
  };
}

/** A token file may be mounted after start-up, so its absence only warns. */
function warnAboutMissingTokenFiles(
  config: AwsIntegrationConfig,
  logger: LoggerService | undefined,
) {
  const files = [
    ['aws.accountDefaults', config.accountDefaults.webIdentityTokenFile],
    ...config.accounts.map((a, i) => [
      `aws.accounts[${i}]`,
      a.webIdentityTokenFile,
    ]),
  ];
  for (const [path, file] of files) {
    if (file && !existsSync(file)) {
      logger?.warn(
        `${path}.webIdentityTokenFile ${file} does not exist yet; credentials for this role will fail until it does`,
        { path },
      );
    }
  }
}
