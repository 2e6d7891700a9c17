import { JsonObject, JsonValue } from '@backstage/config';
import { isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import {
  MAX_ROLE_SESSION_NAME_LENGTH,
  PLUGIN_ID_PLACEHOLDER,
  ROLE_SESSION_NAME,
  unknownPlaceholders,
} from './roleSessionName';

/** The keys of a role session: on `aws`, plugins, accounts and defaults. */
export const SESSION_KEYS = [
  'roleSessionName',
  'sessionTags',
  'durationSeconds',
] as const;

/** The settings of the role sessions a block starts. */
export type SessionSettings = {
  roleSessionName?: string;
  sessionTags?: Record<string, string>;
  durationSeconds?: number;
};

/** STS takes at most this many session tags. */
export const MAX_SESSION_TAGS = 50;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
/** One character STS accepts in a tag key or value. */
const TAG_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;

/**
 * What a template is with `{pluginId}` replaced by a one-character ID: the
 * shortest it can be at run time, and what STS's character rules apply to.
 */
function shortest(template: string): string {
  return template.split(PLUGIN_ID_PLACEHOLDER).join('x');
}

/** The characters of `text` that `allowed` refuses, each once, quoted. */
function refused(text: string, allowed: RegExp): string {
  const chars = [...new Set(text)].filter(c => !allowed.test(c));
  return chars.map(c => JSON.stringify(c)).join(', ');
}

/**
 * Reads those of `keys` that are session settings from `block`, leaving
 * out what is absent. Whether a block may have them at all (a role, no
 * web identity for tags) is for the block's own rules.
 */
/**
 * Whether a block sets any session setting. Most set none: checking this
 * first keeps their rules (and the cost of compiling them at start-up)
 * off the common path.
 */
export function hasSessionSettings(block: JsonObject): boolean {
  return (
    block.roleSessionName !== undefined ||
    block.sessionTags !== undefined ||
    block.durationSeconds !== undefined
  );
}

export function readSessionSettings(
  block: JsonObject,
  keys: readonly string[],
  path: string,
  problems: Problems,
): SessionSettings {
  const settings: SessionSettings = {};
  if (keys.includes('roleSessionName')) {
    const name = readRoleSessionName(block, path, problems);
    if (name !== undefined) {
      settings.roleSessionName = name;
    }
  }
  if (keys.includes('sessionTags')) {
    const tags = readSessionTags(
      block.sessionTags,
      `${path}.sessionTags`,
      problems,
    );
    if (tags !== undefined) {
      settings.sessionTags = tags;
    }
  }
  if (keys.includes('durationSeconds')) {
    const seconds = readDurationSeconds(
      block.durationSeconds,
      `${path}.durationSeconds`,
      problems,
    );
    if (seconds !== undefined) {
      settings.durationSeconds = seconds;
    }
  }
  return settings;
}

/** Refuses `{...}` other than `{pluginId}`; true when there is none. */
function checkPlaceholders(
  template: string,
  keyPath: string,
  problems: Problems,
): boolean {
  const unknown = unknownPlaceholders(template);
  if (unknown.length > 0) {
    problems.add(
      keyPath,
      `has the placeholder ${unknown.join(
        ', ',
      )}, which is not known; the only placeholder is ${PLUGIN_ID_PLACEHOLDER}`,
    );
  }
  return unknown.length === 0;
}

function readRoleSessionName(
  block: JsonObject,
  path: string,
  problems: Problems,
): string | undefined {
  const keyPath = `${path}.roleSessionName`;
  const template = readString(block, 'roleSessionName', path, problems);
  if (
    template === undefined ||
    !checkPlaceholders(template, keyPath, problems)
  ) {
    return undefined;
  }
  const name = shortest(template);
  if (ROLE_SESSION_NAME.test(name)) {
    return template;
  }
  const chars = refused(name, /[\w+=,.@-]/);
  if (chars) {
    problems.add(
      keyPath,
      `'${template}' has characters STS refuses in a role session name (${chars}); use letters, digits, +=,.@_- and ${PLUGIN_ID_PLACEHOLDER}`,
    );
  } else if (name.length > MAX_ROLE_SESSION_NAME_LENGTH) {
    const fixed = template.includes(PLUGIN_ID_PLACEHOLDER)
      ? ` without the plugin ID (the name is cut to ${MAX_ROLE_SESSION_NAME_LENGTH} characters at run time, which would cut off the plugin ID)`
      : '';
    problems.add(
      keyPath,
      `is ${name.length} characters long${fixed}; STS takes at most ${MAX_ROLE_SESSION_NAME_LENGTH}, so shorten it`,
    );
  } else {
    problems.add(
      keyPath,
      `must be at least 2 characters long, even for a one-letter plugin ID (STS's minimum); e.g. backstage-${PLUGIN_ID_PLACEHOLDER}`,
    );
  }
  return undefined;
}

/**
 * Reads a map of session tags, each key in the path of its problems. A
 * value is never quoted (it may be 256 characters long): the characters
 * STS refuses are enough to fix it.
 */
function readSessionTags(
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

/** A whole number of seconds in STS's range, from a number or a numeric string. */
function readDurationSeconds(
  value: JsonValue | undefined,
  keyPath: string,
  problems: Problems,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const range = `from ${MIN_DURATION_SECONDS} (15 minutes) to ${MAX_DURATION_SECONDS} (12 hours)`;
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    seconds = Number(value);
  } else {
    problems.add(
      keyPath,
      `must be a whole number of seconds ${range}, not ${
        typeof value === 'string' ? 'another string' : kindOf(value)
      }`,
    );
    return undefined;
  }
  if (
    !Number.isInteger(seconds) ||
    seconds < MIN_DURATION_SECONDS ||
    seconds > MAX_DURATION_SECONDS
  ) {
    problems.add(
      keyPath,
      `must be a whole number of seconds ${range}, the range STS accepts, not ${seconds}`,
    );
    return undefined;
  }
  return seconds;
}
