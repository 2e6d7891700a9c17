import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** One cached session and who uses it. */
export type CacheEntry<U> = {
  provider: AwsCredentialIdentityProvider;
  /** Its holders (an account as a plugin sees it, or the main account). */
  owners: Set<string>;
  /** Everyone who resolved to this session (e.g. plugins' auditors). */
  users: Set<U>;
  /** The key of the session that signs this one's (a role chain's hop). */
  signedBy?: string;
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
        owners: new Set(),
        users: new Set(),
      };
      created.provider = create(created);
      this.#entries.set(key, created);
      entry = created;
    }
    entry.owners.add(owner);
    return entry;
  }

  /**
   * After a reload: keeps each entry that some holder still resolves to,
   * forgetting the holders that moved to another session, and forgets the
   * entries nobody holds any more (calls in flight finish with what they
   * have).
   */
  retain(keyOf: (owner: string) => string | undefined) {
    const kept = new Set<string>();
    for (const [key, { owners }] of this.#entries) {
      for (const owner of owners) {
        if (keyOf(owner) !== key) {
          owners.delete(owner);
        }
      }
      // A kept session keeps the hops that sign it (a hub held by no
      // account itself), however deep the chain.
      for (
        let k: string | undefined = owners.size > 0 ? key : undefined;
        k !== undefined && !kept.has(k);
        k = this.#entries.get(k)?.signedBy
      ) {
        kept.add(k);
      }
    }
    for (const key of this.#entries.keys()) {
      if (!kept.has(key)) {
        this.#entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
