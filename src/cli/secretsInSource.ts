import { SECRET_KEYS } from './redact';

/** `secretAccessKey: value`, `"externalId": "value"`, in block or flow style. */
const SECRET_ENTRY = new RegExp(
  `(["']?)\\b(?:${[...SECRET_KEYS].join('|')})\\1[ \\t]*:[ \\t]*(.*)`,
  'g',
);

/** The loader's include keys, whose values name a file or a variable. */
const INCLUDE = /^["']?\$(?:file|include|env)["']?\s*:/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The value, or values, an entry's rest of the line may hold. */
function valuesIn(rest: string): string[] {
  const quoted = /^(["'])(.*?)(?:\1|$)/.exec(rest);
  if (quoted) {
    return [quoted[2]];
  }
  const plain = rest.split(/\s#/)[0].trim();
  // In a flow mapping the value ends at the next , } or ] (the entries
  // after it are not secret); in a block mapping it may hold commas.
  const first = plain.split(/[,}\]]/)[0];
  return /:\s/.test(plain) ? [first] : [plain, first];
}

/**
 * The values under secret keys in the text of a config file, found
 * without parsing it, for a file that does not parse: each entry's value
 * on its line, and the lines indented under it (a block scalar, a value
 * continued on the next lines, or one mis-indented). Generous on purpose:
 * this feeds redaction, the last line of defence, where hiding a little
 * too much is harmless and missing a secret is not.
 */
export function secretsInSource(text: string): string[] {
  const found = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const entries = [...line.matchAll(SECRET_ENTRY)];
    if (entries.length === 0) {
      return;
    }
    for (const entry of entries) {
      valuesIn(entry[2]).forEach(v => found.add(v.trim()));
    }
    const indent = indentOf(line);
    for (let next = index + 1; next < lines.length; next++) {
      const continued = lines[next];
      if (continued.trim() !== '' && indentOf(continued) <= indent) {
        break;
      }
      const content = continued.trim();
      if (INCLUDE.test(content)) {
        break; // the value is read from a file or variable: names, not secrets
      }
      found.add(content);
      content.split(/:\s|:$/).forEach(part => found.add(part.trim()));
    }
  });
  return [...found].filter(s => s.length >= 4);
}
