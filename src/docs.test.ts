// Rules every page of the user documentation keeps: the README and each
// docs/*.md (a new page is covered as soon as it exists). The examples
// that need more than a parse are run in readme.test.ts,
// configurationDoc.test.ts and leastPrivilegeDoc.test.ts.
import { ConfigReader } from '@backstage/config';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { readAccountSources } from './accounts/readAccountSources';
import { readAwsIntegrationConfig } from './index';
import { METER_NAME, METRIC_NAMES } from './metrics/AwsCredentialsMetrics';
import {
  REPO_ROOT,
  anchorOf,
  appConfigExamples,
  codeBlocks,
  parseYamlBlock,
  readDoc,
  userDocs,
} from './__testUtils__/markdownDocs';

/** Where each page's app-config examples are, by heading. */
const APP_CONFIG_EXAMPLES = {
  'README.md': ['## A config example'],
  'docs/connections.md': ['## The `aws` connection'],
  'docs/configuration.md': [
    '## The five ways an account gets credentials',
    '## STS endpoints: LocalStack, VPC endpoints, FIPS (`aws.sts`)',
  ],
  'docs/least-privilege.md': [
    '## A worked example: the catalog reads, the scaffolder provisions',
  ],
  'docs/organizations.md': ['# Accounts from AWS Organizations'],
  'docs/session-shaping.md': [
    '## A worked example: one hub, 300 member accounts, a read-only catalog',
  ],
};

/** The pages whose width is not ours to choose: the bench report's tables. */
const WIDE_TABLES = ['docs/benchmarks.md'];

/** Relative links of a page, `[text](target)`, outside code. */
function relativeLinks(path: string): string[] {
  const prose = readDoc(path)
    .replace(/^([ \t]*)```[\s\S]*?^\1```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(m => m[1])
    .filter(target => !/^[a-z]+:/.test(target));
}

describe('the user documentation', () => {
  it('is the README and every page of docs/', () => {
    expect(userDocs()).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/benchmarks.md',
        'docs/check.md',
        'docs/configuration.md',
        'docs/least-privilege.md',
        'docs/metrics.md',
        'docs/migration.md',
        'docs/troubleshooting.md',
      ]),
    );
  });

  it('names in docs/metrics.md the meter and every instrument the package records', () => {
    const page = readDoc('docs/metrics.md').replace(/\s+/g, ' ');

    expect(page).toContain(`under the meter \`${METER_NAME}\``);
    for (const name of Object.values(METRIC_NAMES)) {
      expect(page).toContain(`\`${name}\``);
    }
  });

  describe.each(userDocs())('%s', path => {
    it('has app-config examples that are all valid, where the tests expect them', () => {
      const examples = appConfigExamples(path);

      expect(examples.map(block => block.heading)).toEqual(
        APP_CONFIG_EXAMPLES[path as keyof typeof APP_CONFIG_EXAMPLES] ?? [],
      );
      for (const block of examples) {
        const config = parseYamlBlock(block);
        expect(Object.keys(config).length).toBeGreaterThan(0);
        expect(['aws', 'connections']).toEqual(
          expect.arrayContaining(Object.keys(config)),
        );
        // An aws connection (with or without the aws block's settings) is
        // read as the service reads the root config; an aws block alone as
        // readAwsIntegrationConfig reads it.
        const read =
          'connections' in config
            ? () => readAccountSources(new ConfigReader(config))
            : () => readAwsIntegrationConfig(new ConfigReader(config.aws));
        expect(read).not.toThrow();
      }
    });

    it('has json blocks that are valid JSON', () => {
      for (const block of codeBlocks(path).filter(b => b.lang === 'json')) {
        expect(() => JSON.parse(block.code)).not.toThrow();
      }
    });

    it('links only to files and headings that exist', () => {
      const broken = relativeLinks(path).filter(target => {
        const [file, anchor] = target.split('#');
        const linked = file ? normalize(join(dirname(path), file)) : path;
        if (!existsSync(join(REPO_ROOT, linked))) {
          return true;
        }
        if (!anchor || statSync(join(REPO_ROOT, linked)).isDirectory()) {
          return false;
        }
        const headings = readDoc(linked)
          .split('\n')
          .filter(line => /^#{1,6} /.test(line))
          .map(anchorOf);
        return !headings.includes(anchor);
      });

      expect(broken).toEqual([]);
    });

    it('fits 100 columns', () => {
      const wide = readDoc(path)
        .split('\n')
        .map((text, i) => ({ text, where: `line ${i + 1}` }))
        .filter(({ text }) => [...text].length > 100)
        .filter(
          ({ text }) => !(WIDE_TABLES.includes(path) && text.startsWith('|')),
        )
        .map(({ text, where }) => `${where}: ${[...text].length} columns`);

      expect(wide).toEqual([]);
    });
  });
});
