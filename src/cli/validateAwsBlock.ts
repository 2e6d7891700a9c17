import type { JsonValue } from '@backstage/config';
import {
  configWarnings,
  ConfigWarning,
  problemsOf,
  readAwsBlock,
} from '../config';
import type { AwsIntegrationConfig } from '../types';

/** The outcome of validating the `aws` block. */
export type Validation =
  | { config: AwsIntegrationConfig; warnings: ConfigWarning[] }
  | { problems: string[] };

/**
 * Validates the `aws` block with the rules the backend applies at start-up
 * (readAwsBlock); an absent block is valid and means the default chain.
 */
export function validateAwsBlock(aws: JsonValue | undefined): Validation {
  if (aws === undefined) {
    return {
      config: { accounts: [], mainAccount: {}, accountDefaults: {} },
      warnings: [],
    };
  }
  try {
    const config = readAwsBlock(aws);
    return { config, warnings: configWarnings(config) };
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) {
      return { problems };
    }
    throw error;
  }
}
