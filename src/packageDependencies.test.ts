import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

// What an install of the package pulls in is decided by package.json, and
// what its entry points need by their imports. The build keeps one output
// file per source file, with the same imports, so the source's import graph
// is the graph of what dist/ requires.

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TEST_UTILS = '@backstage/backend-test-utils';

/**
 * The specifiers a file imports, requires or re-exports, types included;
 * comments (TSDoc examples) left out.
 */
function specifiersOf(file: string): string[] {
  const source = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\bfrom\s+'([^']+)'/g,
    /^\s*import\s+'([^']+)'/gm,
    /\bimport\(\s*'([^']+)'\s*\)/g,
    /\brequire\(\s*'([^']+)'\s*\)/g,
  ];
  return patterns.flatMap(pattern =>
    [...source.matchAll(pattern)].map(match => match[1]),
  );
}

/** The file a relative specifier names, as the TypeScript build finds it. */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const found = [base, `${base}.ts`, join(base, 'index.ts')].find(
    candidate => existsSync(candidate) && !candidate.endsWith('/'),
  );
  if (!found) {
    throw new Error(`${relative(ROOT, from)} imports ${specifier}: no file`);
  }
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every package an entry point needs, with the file that imports it:
 * the packages imported by the files it reaches through relative imports.
 */
function packagesOfEntry(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [join(ROOT, entry)];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || !file.endsWith('.ts')) {
      continue;
    }
    seen.add(file);
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith('.')) {
        pending.push(resolveRelative(file, specifier));
      } else if (
        !specifier.startsWith('node:') &&
        !builtinModules.includes(specifier)
      ) {
        packages.set(packageOf(specifier), relative(ROOT, file));
      }
    }
  }
  return packages;
}

describe('the dependencies of the published package', () => {
  it('declares @backstage/backend-test-utils as an optional peer dependency and a dev dependency, never a runtime one', () => {
    expect(pkg.dependencies).not.toHaveProperty([TEST_UTILS]);
    expect(pkg.peerDependencies).toHaveProperty([TEST_UTILS]);
    expect(pkg.peerDependenciesMeta).toEqual({
      [TEST_UTILS]: { optional: true },
    });
    // Our own tests use it; the dev version must satisfy the peer range's
    // major version.
    expect(pkg.devDependencies).toHaveProperty([TEST_UTILS]);
    expect(pkg.devDependencies[TEST_UTILS].split('.')[0]).toBe(
      pkg.peerDependencies[TEST_UTILS].split('.')[0],
    );
  });

  it('never reaches @backstage/backend-test-utils from the main entry or the CLI, not even for a type', () => {
    for (const entry of ['src/index.ts', 'src/alpha.ts', 'src/cli/index.ts']) {
      expect([...packagesOfEntry(entry).keys()]).not.toContain(TEST_UTILS);
    }
    // The one entry that needs it is ./testUtils, the mock for plugin tests.
    expect(packagesOfEntry('src/testUtils/index.ts').get(TEST_UTILS)).toBe(
      'src/testUtils/awsCredentialsServiceMock.ts',
    );
  });

  it('imports from shipped code only packages it declares as dependencies, or as peers for ./testUtils', () => {
    const runtime = Object.keys(pkg.dependencies);
    const peers = Object.keys(pkg.peerDependencies ?? {});
    const undeclared = (entry: string, allowed: string[]) =>
      [...packagesOfEntry(entry)]
        .filter(([name]) => !allowed.includes(name))
        .map(([name, file]) => `${name} (imported by ${file})`);

    // The entries of publishConfig.exports, and the bin's CLI.
    expect(Object.keys(pkg.publishConfig.exports)).toEqual([
      '.',
      './alpha',
      './testUtils',
      './package.json',
    ]);
    expect(undeclared('src/index.ts', runtime)).toEqual([]);
    expect(undeclared('src/alpha.ts', runtime)).toEqual([]);
    expect(undeclared('src/cli/index.ts', runtime)).toEqual([]);
    expect(
      undeclared('src/testUtils/index.ts', [...runtime, ...peers]),
    ).toEqual([]);
  });
});
