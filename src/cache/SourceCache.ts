import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

type Entry = {
  provider: AwsCredentialIdentityProvider;
  /** The account it serves, '' for the main account. */
  owner: string;
};

/**
 * The cached providers of one backend, by session key: every lookup of the
 * same role session, by any holder, before or after a config reload, uses
 * one entry, and so one STS call per credential lifetime.
 */
export class SourceCache {
  readonly #entries = new Map<string, Entry>();

  /** The entry for `key`, created by `create` the first time. */
  get(
    key: string,
    owner: string,
    create: () => AwsCredentialIdentityProvider,
  ): AwsCredentialIdentityProvider {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { provider: create(), owner };
      this.#entries.set(key, entry);
    }
    return entry.provider;
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
