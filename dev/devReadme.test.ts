import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { demoAwsConfig } from './demoConfig';

const README = readFileSync(join(__dirname, 'README.md'), 'utf8');

describe('dev/README.md', () => {
  it('fits 100 columns, code and output blocks included', () => {
    const wide = README.split('\n')
      .map((text, i) => ({ text, where: `line ${i + 1}` }))
      .filter(({ text }) => [...text].length > 100)
      .map(({ text, where }) => `${where}: ${[...text].length} columns`);

    expect(wide).toEqual([]);
  });

  it('shows the demo config as dev/demoConfig.ts builds it', () => {
    const section = README.split('\n### The demo config\n')[1];
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];

    expect(parseYaml(yaml)).toEqual({
      aws: demoAwsConfig('http://127.0.0.1:<port>'),
    });
  });
});
