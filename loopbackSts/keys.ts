import { StsIdentity } from './types';

/** What a role session passes on to the sessions it signs (role chaining). */
export interface RoleSessionContext {
  /** Set once in a chain; no later session may change it. */
  sourceIdentity?: string;
  /** Tags marked transitive, which later sessions inherit and may not re-send. */
  transitiveTags: Record<string, string>;
}

/** A key the loopback STS can verify signatures with. */
export interface KnownKey {
  secretAccessKey: string;
  identity: StsIdentity;
  /** Only for keys issued by the loopback STS. */
  sessionToken?: string;
  expiration?: Date;
  /** For keys of a role session: what it passes on; a call it signs is role chaining. */
  session?: RoleSessionContext;
}

/** How often, at most, expired keys are looked for. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The long-term keys of registered users and the session keys issued so
 * far. Issued keys are forgotten a while after they expire, so that a
 * long-running server does not keep every key it ever issued.
 */
export class KeyStore {
  readonly #keys = new Map<string, KnownKey>();
  readonly #now: () => number;
  readonly #forgetAfterMs: number;
  #nextSweep = 0;

  constructor(options: { now: () => number; forgetAfterMs: number }) {
    this.#now = options.now;
    this.#forgetAfterMs = options.forgetAfterMs;
  }

  set(accessKeyId: string, key: KnownKey): void {
    this.#sweep();
    this.#keys.set(accessKeyId, key);
  }

  get(accessKeyId: string): KnownKey | undefined {
    this.#sweep();
    return this.#keys.get(accessKeyId);
  }

  #sweep(): void {
    const now = this.#now();
    if (now < this.#nextSweep) {
      return;
    }
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [accessKeyId, { expiration }] of this.#keys) {
      if (expiration && expiration.getTime() + this.#forgetAfterMs <= now) {
        this.#keys.delete(accessKeyId);
      }
    }
  }
}
