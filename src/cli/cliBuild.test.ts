import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './__testUtils__/runBin';
import * as cli from './index';

// The published command is bin/backstage-aws-credentials loading what
// `npm run build` makes of src/cli/index.ts. check.test.ts runs the bin
// with the CLI taken from source; this checks the links between the two:
// package.json, the build's naming of entry points, and the bin.

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the backstage-aws-credentials bin', () => {
  it('is declared in package.json, shipped, and executable', () => {
    expect(pkg.bin).toEqual({
      'backstage-aws-credentials': 'bin/backstage-aws-credentials',
    });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin']));
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
    expect(readFileSync(BIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('loads the file the build makes of the ./cli entry point', () => {
    // backstage-cli package build builds every entry of `exports` and
    // names its output after the entry: './cli' becomes dist/cli.cjs.js.
    expect(pkg.exports['./cli']).toBe('./src/cli/index.ts');
    const required = /require\.resolve\('([^']+)'\)/.exec(
      readFileSync(BIN, 'utf8'),
    )?.[1];
    expect(required).toBe('../dist/cli.cjs.js');
    expect(typeof cli.main).toBe('function');
  });

  it('says to build first, and exits 2, when dist is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(BIN, join(dir, 'bin', 'backstage-aws-credentials'));

      const result = await new Promise<{ code: number; stderr: string }>(
        resolve =>
          execFile(
            process.execPath,
            [join(dir, 'bin', 'backstage-aws-credentials'), 'check'],
            (error, _stdout, stderr) =>
              resolve({ code: error ? (error.code as number) : 0, stderr }),
          ),
      );

      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'backstage-aws-credentials: dist/cli.cjs.js is missing; run `npm run build` in the package first\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
