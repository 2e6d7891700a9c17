import {
  MigratedObject,
  MigratedValue,
  SecretPlaceholder,
} from '../accounts/migratedValues';

/** A key YAML reads as itself without quotes. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

/** A string YAML reads back as that string without quotes. */
const PLAIN_STRING = /^[A-Za-z][\w./@+=,-]*$/;
/** Words YAML 1.1 readers take for booleans or null. */
const YAML_WORDS = /^(y|n|yes|no|true|false|on|off|null)$/i;

/**
 * A scalar: a string plain where that is safe, else in double quotes
 * (JSON's escapes are YAML's, and an account ID keeps its leading zeros);
 * a secret as its `${VARIABLE}`.
 */
function scalar(value: MigratedValue): string | undefined {
  if (value instanceof SecretPlaceholder) {
    return `"\${${value.variable}}"  # ${value.path}`;
  }
  if (typeof value === 'string') {
    return PLAIN_STRING.test(value) && !YAML_WORDS.test(value)
      ? value
      : JSON.stringify(value);
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value) && value.length === 0) {
    return '[]';
  }
  if (!Array.isArray(value) && Object.keys(value).length === 0) {
    return '{}';
  }
  return undefined;
}

function lines(value: MigratedValue, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const inline = scalar(item);
      if (inline !== undefined) {
        out.push(`${indent}- ${inline}`);
        continue;
      }
      // The first line of a block item goes after its dash.
      const [first, ...rest] = lines(item, `${indent}  `);
      out.push(`${indent}- ${first.trimStart()}`, ...rest);
    }
    return out;
  }
  for (const [name, inner] of Object.entries(value as MigratedObject)) {
    if (inner === undefined) {
      continue;
    }
    const inline = scalar(inner);
    if (inline !== undefined) {
      out.push(`${indent}${key(name)}: ${inline}`);
    } else {
      out.push(`${indent}${key(name)}:`, ...lines(inner, `${indent}  `));
    }
  }
  return out;
}

/**
 * A document of block-style YAML, for an object of the migrated config:
 * simple enough to read and edit, and read back exactly (the tests parse
 * it with the config loader).
 */
export function renderYaml(document: MigratedObject): string {
  return `${lines(document, '').join('\n')}\n`;
}
