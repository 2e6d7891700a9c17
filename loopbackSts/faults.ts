import { StsFault } from './types';

interface FaultEntry {
  fault: StsFault;
  remaining: number;
  action?: string;
}

/** Faults waiting for the next requests, oldest first. */
export class FaultQueue {
  #entries: FaultEntry[] = [];

  /** The next `count` requests (of `action`, if given) get this fault. */
  add(fault: StsFault, count: number, action?: string): void {
    if (count > 0) {
      this.#entries.push({ fault, remaining: count, action });
    }
  }

  /** The fault for a request of this action, if one is waiting; used up. */
  take(action: string): StsFault | undefined {
    const index = this.#entries.findIndex(
      entry => entry.action === undefined || entry.action === action,
    );
    if (index < 0) {
      return undefined;
    }
    const entry = this.#entries[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.#entries.splice(index, 1);
    }
    return entry.fault;
  }

  clear(): void {
    this.#entries = [];
  }
}
