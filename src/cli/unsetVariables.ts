import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** A `${VAR}` in app-config whose variable is not set. */
export type UnsetVariable = {
  /** Where it is used, as written in the file, e.g. `aws.accounts[0].roleName`. */
  keyPath: string;
  /** The variable's name. */
  variable: string;
  /** The file that uses it (a config file, or a file it includes). */
  file: string;
};

type Env = Record<string, string | undefined>;

/** The config blocks whose variables count: the `aws` block and `connections`. */
const BLOCKS = ['aws', 'connections'];

/** `${NAME}`, `${NAME:-fallback}` and the escaped `$${...}`, as the loader splits them. */
const SUBSTITUTION = /(\$?\$\{[^{}]*\})/;

/**
 * The variables that make the config loader leave a value out, by its
 * own rules (`@backstage/config-loader`'s substitution transform): a
 * value is left out when a `${NAME}` in it has no variable, or a
 * `${NAME:-fallback}` has neither a value nor a fallback; `$${` escapes.
 * Values are read as the loader reads them: trimmed.
 */
export function unsetIn(text: string, env: Env): string[] {
  const parts = text.split(SUBSTITUTION);
  const unset: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const part = parts[i];
    if (part.startsWith('$$')) {
      continue;
    }
    const separator = part.indexOf(':-');
    if (separator > -1) {
      const name = part.slice(2, separator).trim();
      const fallback = part.slice(separator + 2, -1).trim();
      if (!env[name]?.trim() && !fallback) {
        unset.push(name);
      }
    } else {
      const name = part.slice(2, -1).trim();
      if (env[name]?.trim() === undefined) {
        unset.push(name);
      }
    }
  }
  return unset;
}

function parseFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return extname(path) === '.json' ? JSON.parse(text) : parse(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks one value as the loader transforms it, following `$include`. */
function walk(
  value: unknown,
  keyPath: string,
  file: string,
  env: Env,
  found: UnsetVariable[],
) {
  const report = (variable: string) => found.push({ keyPath, variable, file });
  if (typeof value === 'string') {
    unsetIn(value, env).forEach(report);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) =>
      walk(item, `${keyPath}[${i}]`, file, env, found),
    );
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    const include = keys.length === 1 ? keys[0] : undefined;
    const target = include && value[include];
    if (include === '$env' && typeof target === 'string') {
      if (env[target]?.trim() === undefined) {
        report(target);
      }
    } else if (include === '$include' && typeof target === 'string') {
      includeOf(target, keyPath, file, env, found);
    } else if (include !== '$file') {
      for (const key of keys) {
        walk(value[key], `${keyPath}.${key}`, file, env, found);
      }
    }
  }
}

/** The part of an included file that `$include: path#data.path` takes. */
function includeOf(
  target: string,
  keyPath: string,
  file: string,
  env: Env,
  found: UnsetVariable[],
) {
  const [path, dataPath] = target.split(/#(.*)/);
  const included = resolve(dirname(file), path);
  let value: unknown;
  try {
    value = parseFile(included);
  } catch {
    return; // the loader would have failed: a load error, not this check
  }
  for (const part of dataPath ? dataPath.split('.') : []) {
    value = isObject(value) ? value[part] : undefined;
  }
  walk(value, keyPath, included, env, found);
}

/**
 * Every `${VAR}` of the `aws` and `connections` blocks whose variable is
 * not set, so that the config loader left its key out: with
 * `roleName: ${MY_ROLE}` and MY_ROLE unset, an account silently becomes
 * one the default credential chain serves. Reads the files the loader
 * read, as written (each key path is the one in its file), with the
 * environment the loader used.
 *
 * @param files - the config files loaded, in any order; entries that are
 *   not file paths (`env`) are skipped
 */
export function unsetVariables(
  files: readonly string[],
  env: Env,
): UnsetVariable[] {
  const found: UnsetVariable[] = [];
  for (const file of files.filter(f => isAbsolute(f))) {
    let data: unknown;
    try {
      data = parseFile(file);
    } catch {
      continue; // it was loaded a moment ago; nothing to say if it changed
    }
    if (isObject(data)) {
      for (const block of BLOCKS) {
        walk(data[block], block, file, env, found);
      }
    }
  }
  return found;
}
