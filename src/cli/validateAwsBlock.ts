import type { JsonValue } from '@backstage/config';
import { isError } from '@backstage/errors';
import { configWarnings, ConfigWarning, readAwsBlock } from '../config';
import type { AwsIntegrationConfig } from '../types';

/** The outcome of validating the `aws` block. */
export type Validation =
  | { config: AwsIntegrationConfig; warnings: ConfigWarning[] }
  | { problems: string[] };

const PREFIX = 'Invalid AWS configuration, ';

/**
 * The problems of readAwsBlock's error, one per key path: the error holds
 * one (`Invalid AWS configuration, <path>: ...`) or a list (`..., N
 * problems:` then `  - <path>: ...` lines).
 */
function problemsOf(message: string): string[] {
  const body = message.startsWith(PREFIX)
    ? message.slice(PREFIX.length)
    : message;
  const items = body.split('\n  - ');
  return items.length > 1 ? items.slice(1) : [body];
}

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
    if (isError(error) && error.name === 'InputError') {
      return { problems: problemsOf(error.message) };
    }
    throw error;
  }
}
