import { CustomErrorBase } from '@backstage/errors';
import type { LoadErrorLocation } from './describeLoadError';

/**
 * App-config could not be loaded. Its message is safe to print: built
 * from the parsers' structured errors and redacted, with no excerpt of
 * the source. It keeps no cause on purpose: the loader's error quotes
 * the source, which may hold a secret.
 */
export class ConfigLoadError extends CustomErrorBase {
  name = 'ConfigLoadError' as const;

  /** Where the load failed, as far as is known. */
  readonly location: LoadErrorLocation;

  constructor(message: string, location: LoadErrorLocation) {
    super(message);
    this.location = location;
  }
}
