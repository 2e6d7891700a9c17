import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** One cached session and who uses it. */
export type CacheEntry<U> = {
  provider: AwsCredentialIdentityProvider;
  /** The holder it was created for (an account of a plugin, or the main account). */
  owner: string;
  /** Everyone who resolved to this session (e.g. plugins' auditors). */
  users: Set<U>;
};

/**
 * The cached providers of one backend, by session key: every lookup of the
 * same role session, by any plugin, before or after a config reload, uses
 * one entry, and so one STS call per credential lifetime.
 */
export class SourceCache<U = never> {
  readonly #entries = new Map<string, CacheEntry<U>>();

  /** The entry for `key`, created by `create` the first time. */
  get(
    key: string,
    owner: string,
    create: (entry: CacheEntry<U>) => AwsCredentialIdentityProvider,
  ): CacheEntry<U> {
    let entry = this.#entries.get(key);
    if (!entry) {
      const created: CacheEntry<U> = {
        provider: undefined!,
        owner,
        users: new Set(),
      };
      created.provider = create(created);
      this.#entries.set(key, created);
      entry = created;
    }
    return entry;
  }

  /**
   * After a reload: keeps the entries whose owner still resolves to the
   * same key, and forgets the others (calls in flight finish with what
   * they hold).
   */
  retain(keyOf: (owner: string) => string | undefined) {
    for (const [key, { owner }] of this.#entries) {
      if (keyOf(owner) !== key) {
        this.#entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
