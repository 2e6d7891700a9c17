import { JsonObject, JsonValue } from '@backstage/config';
import { checkKnownKeys, isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import { PLUGIN_ID } from './readPlugins';

/** The framework's keys of an entry; returns `match.plugins` if set. */
export function readEntryKeys(
  entry: JsonObject,
  path: string,
  problems: Problems,
): string[] | undefined {
  if (entry.method === undefined || entry.method === null) {
    problems.add(
      `${path}.method`,
      "is missing; the aws connection type has one auth method, so add 'method: account'",
    );
  } else if (entry.method !== 'account') {
    problems.add(
      `${path}.method`,
      `${
        typeof entry.method === 'string'
          ? `'${entry.method}' is not`
          : `must be a string, not ${kindOf(entry.method)}; it is not`
      } an auth method of the aws connection type; use 'account'`,
    );
  }
  readString(entry, 'title', path, problems);
  const main = entry.mainAccount;
  if (main !== undefined && main !== null && typeof main !== 'boolean') {
    problems.add(
      `${path}.mainAccount`,
      `must be true or false, not ${kindOf(main)}`,
    );
  }
  return readMatch(entry.match, `${path}.match`, problems);
}

/** `match: { plugins: [...] }` of an auth entry: a non-empty list of plugin IDs. */
function readMatch(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(
      path,
      `must be an object with plugins, a list of plugin IDs, not ${kindOf(
        value,
      )}`,
    );
    return undefined;
  }
  checkKnownKeys(value, path, ['plugins'], problems);
  const plugins = value.plugins;
  if (plugins === undefined || plugins === null) {
    problems.add(
      `${path}.plugins`,
      'is missing; list the plugins that see this entry, e.g. plugins: [catalog]',
    );
    return undefined;
  }
  if (!Array.isArray(plugins) || plugins.length === 0) {
    problems.add(
      `${path}.plugins`,
      `must be a list of at least one plugin ID, not ${
        Array.isArray(plugins) ? 'an empty list' : kindOf(plugins)
      }; e.g. plugins: [catalog]`,
    );
    return undefined;
  }
  const ids: string[] = [];
  plugins.forEach((id, i) => {
    if (typeof id === 'string' && PLUGIN_ID.test(id)) {
      ids.push(id);
    } else {
      problems.add(
        `${path}.plugins[${i}]`,
        `${
          typeof id === 'string' ? `'${id}'` : kindOf(id)
        } is not a Backstage plugin ID; a plugin ID starts with a letter and has letters and digits, with single - or _ between them, e.g. catalog or tech-insights`,
      );
    }
  });
  return ids.length === plugins.length ? ids : undefined;
}
