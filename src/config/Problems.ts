import { InputError } from '@backstage/errors';

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
    if (this.list.length === 1) {
      throw new InputError(`Invalid AWS configuration, ${this.list[0]}`);
    }
    if (this.list.length > 1) {
      throw new InputError(
        `Invalid AWS configuration, ${this.list.length} problems:\n${this.list
          .map(p => `  - ${p}`)
          .join('\n')}`,
      );
    }
  }
}
