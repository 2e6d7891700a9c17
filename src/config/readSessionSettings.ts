import { JsonObject, JsonValue } from '@backstage/config';
import { kindOf } from './jsonValues';
import { Problems } from './Problems';
import { readSessionTags } from './readSessionTags';
import { readSessionNameTemplate } from './roleSessionName';

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
    const name = readSessionNameTemplate(
      block,
      'roleSessionName',
      'role session name',
      path,
      problems,
    );
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
