import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The shipped bin file. */
export const BIN = join(ROOT, 'bin', 'backstage-aws-credentials');

/** The node transform, then the redirect of dist/cli.cjs.js to the source. */
const PRELOADS = [
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
  join(__dirname, 'runFromSource.js'),
];

// Every test file that runs the bin gets a budget fit for a busy machine:
// each run starts a fresh Node process that compiles the CLI from source.
jest.setTimeout(60_000);

/** What a run of the bin printed, and its exit code. */
export type BinRun = { code: number; stdout: string; stderr: string };

/**
 * Runs bin/backstage-aws-credentials in a child process as a user would,
 * with the CLI taken from source (see runFromSource.js), in `cwd`, with
 * this process's environment (the test's AWS_* variables) minus any
 * APP_CONFIG_* variable.
 */
export function runBin(args: string[], cwd: string): Promise<BinRun> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('APP_CONFIG_')),
  );
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [...PRELOADS.flatMap(p => ['--require', p]), BIN, ...args],
      { cwd, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error.code as number) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The row of the table whose first cell is `first`, split into its cells. */
export function tableRow(text: string, first: string): string[] {
  const line = text.split('\n').find(l => l.startsWith(`${first} `));
  if (!line) {
    throw new Error(`no row '${first}' in:\n${text}`);
  }
  return line.split(/ {2,}/);
}

/** One account's block of the default output: its title's rest, then its fields. */
export type AccountBlock = { config: string; fields: Record<string, string> };

/**
 * The block of the default output whose title starts with `title`, e.g.
 * `333333333333` or `main account`, with each wrapped value joined again
 * (the fields by their labels, `config` the config block it comes from).
 */
export function accountBlock(text: string, title: string): AccountBlock {
  const lines = text.split('\n');
  const start = lines.findIndex(
    (l, i) => l.startsWith(title) && (i === 0 || lines[i - 1] === ''),
  );
  if (start < 0) {
    throw new Error(`no block '${title}' in:\n${text}`);
  }
  const fields: Record<string, string> = {};
  let last = '';
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) {
      break;
    }
    const field = /^ {2}(\S.{0,10}?) {2,}(\S.*)$/.exec(line);
    if (field && !line.startsWith(' '.repeat(15))) {
      last = field[1].trim();
      fields[last] = field[2];
    } else {
      // A value wrapped at a space lost it; an ARN wrapped after / or : did not.
      const more = line.trim();
      fields[last] += /[/:]$/.test(fields[last]) ? more : ` ${more}`;
    }
  }
  return { config: lines[start].split(/ {2,}/)[1], fields };
}
