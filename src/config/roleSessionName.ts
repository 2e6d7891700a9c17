import type { JsonObject } from '@backstage/config';
import { readString } from './jsonValues';
import { Problems } from './Problems';

/** The placeholder that role session names and tag values may contain. */
export const PLUGIN_ID_PLACEHOLDER = '{pluginId}';

/** What STS accepts as a role session name. */
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The longest role session name STS accepts. */
export const MAX_ROLE_SESSION_NAME_LENGTH = 64;

/** Every character STS refuses in a role session name. */
const NOT_IN_SESSION_NAME = /[^\w+=,.@-]/g;

/**
 * A role session name template with `{pluginId}` replaced by `pluginId`,
 * ready for STS: characters that STS refuses in a session name become
 * `-`, and the result is cut to 64 characters.
 *
 * @example
 * ```ts
 * substitutePluginId('backstage-{pluginId}', 'catalog'); // 'backstage-catalog'
 * ```
 */
export function substitutePluginId(template: string, pluginId: string): string {
  const id = pluginId.replace(NOT_IN_SESSION_NAME, '-');
  return template
    .split(PLUGIN_ID_PLACEHOLDER)
    .join(id)
    .slice(0, MAX_ROLE_SESSION_NAME_LENGTH);
}

/**
 * The `{...}` placeholders of a template other than `{pluginId}`, in the
 * order they appear, each once.
 */
export function unknownPlaceholders(template: string): string[] {
  const found = template.match(/\{[^{}]*\}/g) ?? [];
  return [...new Set(found)].filter(p => p !== PLUGIN_ID_PLACEHOLDER);
}

/**
 * What a template is with `{pluginId}` replaced by a one-character ID: the
 * shortest it can be at run time, and what STS's character rules apply to.
 */
export function shortest(template: string): string {
  return template.split(PLUGIN_ID_PLACEHOLDER).join('x');
}

/** The characters of `text` that `allowed` refuses, each once, quoted. */
export function refused(text: string, allowed: RegExp): string {
  const chars = [...new Set(text)].filter(c => !allowed.test(c));
  return chars.map(c => JSON.stringify(c)).join(', ');
}

/** Refuses `{...}` other than `{pluginId}`; true when there is none. */
export function checkPlaceholders(
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

/**
 * Reads a key whose value STS takes in a role session name's alphabet
 * (`roleSessionName`, `sourceIdentity`): 2-64 of `[\w+=,.@-]` once
 * `{pluginId}` is replaced. Returns the template, or undefined with its
 * problem added; `what` names the value in messages ("role session name").
 */
export function readSessionNameTemplate(
  block: JsonObject,
  key: string,
  what: string,
  path: string,
  problems: Problems,
): string | undefined {
  const keyPath = `${path}.${key}`;
  const template = readString(block, key, path, problems);
  if (
    template === undefined ||
    !checkPlaceholders(template, keyPath, problems)
  ) {
    return undefined;
  }
  const value = shortest(template);
  if (ROLE_SESSION_NAME.test(value)) {
    return template;
  }
  const chars = refused(value, /[\w+=,.@-]/);
  if (chars) {
    problems.add(
      keyPath,
      `'${template}' has characters STS refuses in a ${what} (${chars}); use letters, digits, +=,.@_- and ${PLUGIN_ID_PLACEHOLDER}`,
    );
  } else if (value.length > MAX_ROLE_SESSION_NAME_LENGTH) {
    const fixed = template.includes(PLUGIN_ID_PLACEHOLDER)
      ? ` without the plugin ID (the ${what} is cut to ${MAX_ROLE_SESSION_NAME_LENGTH} characters at run time, which would cut off the plugin ID)`
      : '';
    problems.add(
      keyPath,
      `is ${value.length} characters long${fixed}; STS takes a ${what} of at most ${MAX_ROLE_SESSION_NAME_LENGTH}, so shorten it`,
    );
  } else {
    problems.add(
      keyPath,
      `must be at least 2 characters long, even for a one-letter plugin ID (STS's minimum); e.g. backstage-${PLUGIN_ID_PLACEHOLDER}`,
    );
  }
  return undefined;
}
