import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as alpha from '../alpha';
import * as index from '../index';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the ./alpha entry', () => {
  it('is declared for development and for publishing, as the build names its output', () => {
    // backstage-cli package build names each entry's output after it:
    // './alpha' becomes dist/alpha.cjs.js and dist/alpha.d.ts.
    expect(pkg.exports['./alpha']).toBe('./src/alpha.ts');
    expect(pkg.typesVersions['*'].alpha).toEqual(['src/alpha.ts']);
    expect(pkg.publishConfig.exports['./alpha']).toEqual({
      types: './dist/alpha.d.ts',
      default: './dist/alpha.cjs.js',
    });
    expect(pkg.publishConfig.typesVersions['*'].alpha).toEqual([
      'dist/alpha.d.ts',
    ]);
  });

  it('has its own API report, checked by npm test', () => {
    expect(pkg.scripts['api-report']).toContain('api-extractor/alpha.json');
    expect(pkg.scripts['api-report:check']).toContain(
      'api-extractor/alpha.json',
    );
    expect(readFileSync(join(ROOT, 'report-alpha.api.md'), 'utf8')).toContain(
      'export const createAwsCredentialsManagerFromConnection',
    );
  });

  it('keeps the alpha surface out of the stable entry', () => {
    expect(Object.keys(alpha).sort()).toEqual([
      'createAwsCredentialsManagerFromConnection',
    ]);
    expect(index).not.toHaveProperty(
      'createAwsCredentialsManagerFromConnection',
    );
    expect(
      typeof index.DefaultAwsCredentialsManager.experimentalFromConnections,
    ).toBe('function');
  });
});
