import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** One cached session and who uses it. */
export type CacheEntry<U> = {
  provider: AwsCredentialIdentityProvider;
  /**
   * Its holders (an account as a plugin sees it, or the main account),
   * each with the user to tell of new sessions (e.g. the plugin's auditor),
   * if any: a holder that moves to another session takes its user along.
   */
  owners: Map<string, U | undefined>;
  /** The key of the session that signs this one's (a role chain's hop). */
  signedBy?: string;
};

/** The users of an entry, each once, for as long as one of its holders is theirs. */
export function usersOf<U>(entry: CacheEntry<U>): Set<U> {
  const users = new Set<U>();
  for (const user of entry.owners.values()) {
    if (user !== undefined) {
      users.add(user);
    }
  }
  return users;
}

/**
 * The cached providers of one backend, by session key: every lookup of the
 * same role session, by any plugin, before or after a config reload, uses
 * one entry, and so one STS call per credential lifetime. An entry lives
 * as long as some holder holds it.
 */
export class SourceCache<U = never> {
  readonly #entries = new Map<string, CacheEntry<U>>();

  /** The entry for `key`, created by `create` the first time, held by `owner` from now on. */
  get(
    key: string,
    owner: string,
    user: U | undefined,
    create: (entry: CacheEntry<U>) => AwsCredentialIdentityProvider,
  ): CacheEntry<U> {
    let entry = this.#entries.get(key);
    if (!entry) {
      const created: CacheEntry<U> = {
        provider: undefined!,
        owners: new Map(),
      };
      created.provider = create(created);
      this.#entries.set(key, created);
      entry = created;
    }
    entry.owners.set(owner, user);
    return entry;
  }

  /**
   * `owner` no longer holds the entry of `key`; an entry nobody holds is
   * forgotten (calls in flight finish with what they have).
   */
  release(key: string, owner: string) {
    const entry = this.#entries.get(key);
    if (entry?.owners.delete(owner) && entry.owners.size === 0) {
      this.#entries.delete(key);
    }
  }

  /**
   * After a reload: keeps each entry that some holder still resolves to,
   * forgetting the holders (and their users) that moved to another
   * session, and forgets the entries nobody holds any more.
   */
  retain(keyOf: (owner: string) => string | undefined) {
    const kept = new Set<string>();
    for (const [key, { owners }] of this.#entries) {
      for (const owner of owners.keys()) {
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
