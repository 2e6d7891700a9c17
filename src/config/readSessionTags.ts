import { JsonValue } from '@backstage/config';
import { isObject, kindOf } from './jsonValues';
import { Problems } from './Problems';
import {
  PLUGIN_ID_PLACEHOLDER,
  checkPlaceholders,
  refused,
  shortest,
} from './roleSessionName';

/** STS takes at most this many session tags. */
export const MAX_SESSION_TAGS = 50;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
/** One character STS accepts in a tag key or value. */
const TAG_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/**
 * Reads a map of session tags, each key in the path of its problems. A
 * value is never quoted (it may be 256 characters long): the characters
 * STS refuses are enough to fix it.
 */
export function readSessionTags(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
): Record<string, string> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(
      path,
      `must be a map of tag key to value, not ${kindOf(
        value,
      )}; e.g. sessionTags: { team: platform }`,
    );
    return undefined;
  }
  const tags: Record<string, string> = {};
  const keysByCase = new Map<string, string>();
  // null is how app-config unsets a key.
  const entries = Object.entries(value).filter(([, v]) => v !== null);
  for (const [key, tagValue] of entries) {
    const keyPath = `${path}.${key}`;
    const sameKey = keysByCase.get(key.toLowerCase());
    if (sameKey !== undefined) {
      problems.add(
        keyPath,
        `is the same tag key as ${sameKey}, as STS compares tag keys without regard to case; keep one of them`,
      );
      continue;
    }
    keysByCase.set(key.toLowerCase(), key);
    const keyOk = checkTagKey(key, keyPath, problems);
    const text = readTagValue(tagValue, keyPath, problems);
    if (keyOk && text !== undefined) {
      tags[key] = text;
    }
  }
  if (entries.length > MAX_SESSION_TAGS) {
    problems.add(
      path,
      `has ${entries.length} tags; STS takes at most ${MAX_SESSION_TAGS} per session, so remove some`,
    );
  }
  return tags;
}

function checkTagKey(
  key: string,
  keyPath: string,
  problems: Problems,
): boolean {
  if (key.includes(PLUGIN_ID_PLACEHOLDER)) {
    problems.add(
      keyPath,
      `only tag values may contain ${PLUGIN_ID_PLACEHOLDER}, not tag keys; e.g. sessionTags: { backstage-plugin: '${PLUGIN_ID_PLACEHOLDER}' }`,
    );
    return false;
  }
  if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
    problems.add(
      keyPath,
      `a tag key must be 1 to ${MAX_TAG_KEY_LENGTH} characters long (STS's limit), not ${key.length}`,
    );
    return false;
  }
  const chars = refused(key, TAG_CHARACTER);
  if (chars) {
    problems.add(
      keyPath,
      `the tag key has characters STS refuses (${chars}); use letters, digits, spaces and _.:/=+-@`,
    );
    return false;
  }
  return true;
}

/** A tag value: a string, which may be empty (STS allows that). */
function readTagValue(
  value: JsonValue | undefined,
  keyPath: string,
  problems: Problems,
): string | undefined {
  if (typeof value !== 'string') {
    const quote =
      typeof value === 'number' || typeof value === 'boolean'
        ? '; put the value in quotes in YAML'
        : '';
    problems.add(keyPath, `must be a string, not ${kindOf(value)}${quote}`);
    return undefined;
  }
  if (!checkPlaceholders(value, keyPath, problems)) {
    return undefined;
  }
  const text = shortest(value);
  if (text.length > MAX_TAG_VALUE_LENGTH) {
    problems.add(
      keyPath,
      `the tag value is ${text.length} characters long; STS takes at most ${MAX_TAG_VALUE_LENGTH}, so shorten it`,
    );
    return undefined;
  }
  const chars = refused(text, TAG_CHARACTER);
  if (chars) {
    problems.add(
      keyPath,
      `the tag value has characters STS refuses (${chars}); use letters, digits, spaces, _.:/=+-@ and ${PLUGIN_ID_PLACEHOLDER}`,
    );
    return undefined;
  }
  return value;
}
