import { JsonObject, JsonValue } from '@backstage/config';
import type { AwsIntegrationConfig } from '../types';
import { checkKnownKeys, kindOf } from './jsonValues';
import { Problems } from './Problems';

const PATH = 'aws.cache';
const CACHE_KEYS = ['maxDefaultAccounts'];

/** Reads `aws.cache`, the bounds of what the backend keeps in memory. */
export function readCacheConfig(
  block: JsonObject,
  problems: Problems,
): NonNullable<AwsIntegrationConfig['cache']> {
  checkKnownKeys(block, PATH, CACHE_KEYS, problems);
  const cache: NonNullable<AwsIntegrationConfig['cache']> = {};
  const max = readCount(block.maxDefaultAccounts, problems);
  if (max !== undefined) {
    cache.maxDefaultAccounts = max;
  }
  return cache;
}

/**
 * A whole number of at least 1, from a number or a numeric string (what an
 * environment variable substituted into app-config gives).
 */
function readCount(
  value: JsonValue | undefined,
  problems: Problems,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const path = `${PATH}.maxDefaultAccounts`;
  const fix = 'e.g. 10000 (the default)';
  let count: number;
  if (typeof value === 'number') {
    count = value;
  } else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    count = Number(value);
  } else {
    problems.add(
      path,
      `must be a whole number of at least 1, not ${
        typeof value === 'string' ? 'another string' : kindOf(value)
      }; ${fix}`,
    );
    return undefined;
  }
  if (!Number.isSafeInteger(count) || count < 1) {
    problems.add(
      path,
      `must be a whole number of at least 1, not ${count}; ${fix}`,
    );
    return undefined;
  }
  return count;
}
