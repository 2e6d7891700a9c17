import type { Config } from '@backstage/config';
import { readAccountSources } from '../accounts/readAccountSources';
import { configWarnings, problemsOf } from '../config';
import type { Validation } from './validateAwsBlock';

/**
 * Validates the accounts and settings of the root config with the rules
 * the backend applies at start-up: the `aws` connection of `connections`
 * if there is one, and the `aws` block.
 */
export function validateRootConfig(config: Config): Validation {
  try {
    const model = readAccountSources(config);
    return { config: model, warnings: configWarnings(model) };
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) {
      return { problems };
    }
    throw error;
  }
}
