import { JsonObject, JsonValue } from '@backstage/config';
import { kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import { readSessionTags } from './readSessionTags';
import {
  MAX_ROLE_SESSION_NAME_LENGTH,
  PLUGIN_ID_PLACEHOLDER,
  ROLE_SESSION_NAME,
  checkPlaceholders,
  refused,
  shortest,
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

const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;

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

/**
 * Reads those of `keys` that are session settings from `block`, leaving
 * out what is absent. Whether a block may have them at all (a role, no
 * web identity for tags) is for the block's own rules.
 */
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
