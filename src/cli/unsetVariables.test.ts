import { useTempDir } from './__testUtils__/useTempDir';
import { join } from 'node:path';
import { loadConfig } from './loadConfig';
import { unsetVariables } from './unsetVariables';

describe('unsetVariables', () => {
  const temp = useTempDir('cli-unset-');
  const write = temp.write;

  it('reports exactly the values the config loader leaves out, by its own substitution rules', async () => {
    const env = { SET: 'value', EMPTY: '', BLANK: '  ' };
    const cases: Record<string, string> = {
      plain: '${UNSET}',
      inText: 'prefix-${UNSET}-suffix',
      spaced: '${ UNSET }',
      set: '${SET}',
      empty: '${EMPTY}',
      withFallback: '${UNSET:-fallback}',
      emptyWithFallback: '${EMPTY:-fallback}',
      emptyFallback: '${UNSET:-}',
      blankNoFallback: '${BLANK:-}',
      escaped: '$${UNSET}',
      unclosed: '${UNSET',
      twoOneUnset: '${SET}/${UNSET}',
    };
    const file = write(
      'app-config.yaml',
      `aws:\n${Object.entries(cases)
        .map(([key, value]) => `  ${key}: '${value}'`)
        .join('\n')}\n`,
    );

    const { config } = await loadConfig({ configPaths: [file], env });
    const found = unsetVariables([file, 'env'], env);

    const kept = Object.keys(config.getConfig('aws').get<object>());
    const dropped = Object.keys(cases).filter(key => !kept.includes(key));
    expect(dropped).toEqual([
      'plain',
      'inText',
      'spaced',
      'emptyFallback',
      'blankNoFallback',
      'twoOneUnset',
    ]);
    expect(found.map(f => f.keyPath)).toEqual(dropped.map(k => `aws.${k}`));
    expect(found.map(f => f.variable)).toEqual([
      'UNSET',
      'UNSET',
      'UNSET',
      'UNSET',
      'BLANK',
      'UNSET',
    ]);
  });

  it('names the key path as written, in lists, $env, included files and connections, and nothing outside those blocks', () => {
    write(
      'accounts.yaml',
      'list:\n  - accountId: "222222222222"\n    roleName: ${INCLUDED_ROLE}\n',
    );
    const file = write(
      'app-config.yaml',
      [
        'backend:',
        '  database:',
        '    password: ${DB_PASSWORD}',
        'aws:',
        '  mainAccount:',
        '    profile:',
        '      $env: MAIN_PROFILE',
        '  accounts:',
        '    - accountId: "111111111111"',
        '      roleName: ${MY_ROLE}',
        '  plugins:',
        '    catalog:',
        '      accounts:',
        '        $include: accounts.yaml#list',
        'connections:',
        '  - type: aws',
        '    externalId: ${EXTERNAL_ID}',
        '',
      ].join('\n'),
    );

    expect(unsetVariables([file], {})).toEqual([
      {
        keyPath: 'aws.mainAccount.profile',
        variable: 'MAIN_PROFILE',
        file,
      },
      { keyPath: 'aws.accounts[0].roleName', variable: 'MY_ROLE', file },
      {
        keyPath: 'aws.plugins.catalog.accounts[0].roleName',
        variable: 'INCLUDED_ROLE',
        file: join(temp.dir(), 'accounts.yaml'),
      },
      {
        keyPath: 'connections[0].externalId',
        variable: 'EXTERNAL_ID',
        file,
      },
    ]);
  });
});
