import { JsonObject } from '@backstage/config';
import { closest, distance } from 'fastest-levenshtein';
import { Problems } from './Problems';

/** How far a misspelt name may be from a known one to be suggested. */
export const NEAR_MISS_DISTANCE = 2;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a config value is, for messages that must not quote the value. */
export function kindOf(value: unknown): string {
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The known name closest to `name`, if it is a near miss (case ignored). */
export function nearMiss(
  name: string,
  known: readonly string[],
): string | undefined {
  const lowerKnown = known.map(k => k.toLowerCase());
  const lowerNear = closest(name.toLowerCase(), lowerKnown);
  return distance(name.toLowerCase(), lowerNear) <= NEAR_MISS_DISTANCE
    ? known[lowerKnown.indexOf(lowerNear)]
    : undefined;
}

export function checkKnownKeys(
  value: JsonObject,
  path: string,
  known: readonly string[],
  problems: Problems,
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const near = nearMiss(key, known);
      const hint = near
        ? `did you mean '${near}'?`
        : `the keys allowed here are ${known.join(', ')}`;
      problems.add(`${path}.${key}`, `unknown key; ${hint}`);
    }
  }
}

/**
 * Reads an optional string, treating an empty or blank one as a mistake:
 * a key that is present but empty is almost always an unset environment
 * variable substituted into app-config.
 */
export function readString(
  block: JsonObject,
  key: string,
  path: string,
  problems: Problems,
): string | undefined {
  const value = block[key];
  // null is how app-config unsets a key.
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    const quote =
      typeof value === 'number' || typeof value === 'boolean'
        ? '; put the value in quotes in YAML'
        : '';
    problems.add(
      `${path}.${key}`,
      `must be a string, not ${kindOf(value)}${quote}`,
    );
    return undefined;
  }
  if (value.trim() === '') {
    problems.add(
      `${path}.${key}`,
      'is empty; give it a value or remove the key',
    );
    return undefined;
  }
  return value;
}

/**
 * An optional block that must be an object. A block of the wrong type is
 * reported by its own path, without its value.
 */
export function readBlock(
  parent: JsonObject,
  key: string,
  path: string,
  problems: Problems,
): JsonObject | undefined {
  const value = parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(path, `must be an object, not ${kindOf(value)}`);
    return undefined;
  }
  return value;
}
