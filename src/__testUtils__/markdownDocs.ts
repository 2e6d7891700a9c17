import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The repository's root folder. */
export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The user documentation, as paths from the repository's root: the README
 * and every `docs/*.md`, so a new page is covered by the docs tests without
 * being listed anywhere.
 */
export function userDocs(): string[] {
  const pages = readdirSync(join(REPO_ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .sort()
    .map(name => `docs/${name}`);
  return ['README.md', ...pages];
}

/** A page's text, as it is in the repository. */
export function readDoc(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

/** One fenced block of a page. */
export type CodeBlock = {
  /** The heading the block is under (`## ...` or `### ...`), or ''. */
  heading: string;
  /** The language of the fence: `yaml`, `ts`, `json`, ... */
  lang: string;
  code: string;
  /** The 1-based line of the opening fence. */
  line: number;
  /**
   * The block comes right after an HTML comment that starts with
   * `<!-- fragment`: it is not a whole example of its language (a
   * Prometheus rule in YAML is no app-config).
   */
  fragment: boolean;
};

/** Every fenced block of a page, in order, fences indented or not. */
export function codeBlocks(path: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = readDoc(path).split('\n');
  let heading = '';
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,6} /.test(line)) {
      heading = line;
    }
    const open = /^(\s*)```(\S*)\s*$/.exec(line);
    if (open) {
      const [, indent, lang] = open;
      let end = i + 1;
      while (end < lines.length && lines[end] !== `${indent}\`\`\``) {
        end++;
      }
      blocks.push({
        heading,
        lang,
        code: lines
          .slice(i + 1, end)
          .map(l => l.slice(indent.length))
          .join('\n'),
        line: i + 1,
        fragment: previous.trim().startsWith('<!-- fragment'),
      });
      i = end;
      previous = '';
      continue;
    }
    if (line.trim()) {
      previous = line;
    }
  }
  return blocks;
}

/** A block's YAML, with `${VAR}` substituted as app-config would. */
export function parseYamlBlock(block: CodeBlock): any {
  return parseYaml(block.code.replace(/\$\{(\w+)\}/g, 'value-of-$1'));
}

/** The app-config examples of a page: its `yaml` blocks, less fragments. */
export function appConfigExamples(path: string): CodeBlock[] {
  return codeBlocks(path).filter(b => b.lang === 'yaml' && !b.fragment);
}

/** The one app-config example under a heading of a page, parsed. */
export function appConfigUnder(path: string, heading: string): any {
  const found = appConfigExamples(path).filter(b => b.heading === heading);
  if (found.length !== 1) {
    throw new Error(
      `${path} has ${found.length} app-config examples under '${heading}', not 1`,
    );
  }
  return parseYamlBlock(found[0]);
}

/**
 * The text of a section of a page: from its heading line to the next
 * heading of the same or a higher level.
 */
export function sectionOf(path: string, heading: string): string {
  const text = readDoc(path);
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) {
    throw new Error(`${path} has no heading '${heading}'`);
  }
  const level = /^#+/.exec(heading)![0].length;
  const rest = text.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation other than
 * `-` and `_` dropped, spaces turned into `-`.
 */
export function anchorOf(heading: string): string {
  return heading
    .replace(/^#+ /, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
