import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder for each test of the calling `describe`, removed after
 * it: `dir()` is its real path (as the config loader reports files), and
 * `write` puts a file in it and returns the file's path.
 */
export function useTempDir(prefix: string) {
  let dir = '';
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    write(name: string, content: string): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
