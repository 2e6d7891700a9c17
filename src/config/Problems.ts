import { InputError } from '@backstage/errors';

/** The problems behind each error that {@link Problems} threw. */
const listed = new WeakMap<Error, string[]>();

/**
 * Collects every problem of one `aws` block, so that a user fixes them all
 * in one go rather than one per restart.
 */
export class Problems {
  readonly list: string[] = [];

  add(path: string, problem: string) {
    this.list.push(`${path}: ${problem}`);
  }

  throwIfAny() {
    if (this.list.length === 0) {
      return;
    }
    const error = new InputError(
      this.list.length === 1
        ? `Invalid AWS configuration, ${this.list[0]}`
        : `Invalid AWS configuration, ${this.list.length} problems:\n${this.list
            .map(p => `  - ${p}`)
            .join('\n')}`,
    );
    listed.set(error, [...this.list]);
    throw error;
  }
}

/**
 * The problems of an invalid `aws` block, one per key path, if `error`
 * is the error its validation threw.
 */
export function problemsOf(error: unknown): string[] | undefined {
  return error instanceof Error ? listed.get(error) : undefined;
}
