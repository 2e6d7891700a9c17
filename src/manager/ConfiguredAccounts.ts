import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
} from '../types';
import {
  ResolvedSource,
  accountSource,
  mainAccountSource,
} from '../providers/resolveSource';

/**
 * One `aws` config, validated: where each account's credentials come
 * from. Replaced whole on reload, so a lookup sees either the old config
 * or the new one, never a mix. It holds no credentials; those live in the
 * manager's cache, by session key.
 */
export class ConfiguredAccounts {
  readonly config: AwsIntegrationConfig;
  readonly timeoutMs: number;
  #main: ResolvedSource | undefined;
  readonly #declared: Map<
    string,
    { config: AwsIntegrationAccountConfig; index: number }
  >;
  /** Sources resolved so far, by account ID (undefined: not configured). */
  readonly #sources = new Map<string, ResolvedSource | undefined>();

  constructor(config: AwsIntegrationConfig, timeoutMs: number) {
    this.config = config;
    this.timeoutMs = timeoutMs;
    this.#declared = new Map(
      config.accounts.map((a, index) => [a.accountId, { config: a, index }]),
    );
  }

  /** The main account's source. */
  get main(): ResolvedSource {
    this.#main ??= mainAccountSource(this.config.mainAccount, this.timeoutMs);
    return this.#main;
  }

  /** Whether account defaults reach every account not listed. */
  get defaultsApply(): boolean {
    return Boolean(this.config.accountDefaults.roleName);
  }

  /**
   * The source of a listed account, or of any account through
   * `accountDefaults`; undefined when neither applies.
   *
   * @throws `InputError` for a role whose STS region is unknown.
   */
  sourceOf(accountId: string): ResolvedSource | undefined {
    if (this.#sources.has(accountId)) {
      return this.#sources.get(accountId);
    }
    const source = this.#resolve(accountId);
    this.#sources.set(accountId, source);
    return source;
  }

  /** The session key an owner (an account ID, '' for the main account) has here. */
  keyOf(owner: string): string | undefined {
    if (owner === '') {
      return this.main.key;
    }
    try {
      return this.sourceOf(owner)?.key;
    } catch {
      return undefined;
    }
  }

  #resolve(accountId: string): ResolvedSource | undefined {
    const declared = this.#declared.get(accountId);
    if (declared) {
      return accountSource(
        declared.config,
        `aws.accounts[${declared.index}]`,
        this.main.key,
        this.timeoutMs,
      );
    }
    const defaults = this.config.accountDefaults;
    if (!defaults.roleName) {
      return undefined;
    }
    return accountSource(
      { ...defaults, accountId },
      'aws.accountDefaults',
      this.main.key,
      this.timeoutMs,
    );
  }
}
