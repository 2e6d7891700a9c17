import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactFragments, SECRET_KEYS, secretsOf } from './redact';
import { secretsInSource } from './secretsInSource';

const SECRET = 'r8Fq2Lw9Zt/Hx4Nv7Bp1Kc6Ym3Dj0Gs5Ue8Ai2Xo';

describe('SECRET_KEYS', () => {
  it('names every key config.d.ts marks @visibility secret', () => {
    const schema = readFileSync(
      join(__dirname, '..', '..', 'config.d.ts'),
      'utf8',
    );
    const marked = [
      ...schema.matchAll(/@visibility secret\s*\*\/\s*(\w+)\??:/g),
    ].map(m => m[1]);

    expect(marked.length).toBeGreaterThanOrEqual(6);
    for (const key of marked) {
      expect(SECRET_KEYS).toContain(key);
    }
  });
});

describe('secretsInSource', () => {
  it('finds the values under secret keys of a file that does not parse: plain, quoted, flow, continued and block scalars', () => {
    const text = [
      'aws:',
      '  mainAccount:',
      '    accessKeyId: AKIAQ7XJ2M4TZ9RW3KPL # the team key',
      `    secretAccessKey: "${SECRET}`,
      '   region: eu-west-1',
      '  accounts:',
      "    - { accountId: '1', roleName: r, externalId: 'ext,with,commas', x: y }",
      '    - externalId: ext,in,block',
      '    - sessionToken: first-part',
      '        second-part-of-token: x',
      '      secretAccessKey: |',
      '        block-scalar-secret',
      '      accessKeyId:',
      '        $file: key-id.txt',
    ].join('\n');

    const found = secretsInSource(text);

    expect(found).toEqual(
      expect.arrayContaining([
        'AKIAQ7XJ2M4TZ9RW3KPL',
        SECRET,
        'ext,with,commas',
        'ext,in,block',
        'first-part',
        'second-part-of-token',
        'block-scalar-secret',
      ]),
    );
    expect(found).not.toContain('eu-west-1');
    expect(found.join(' ')).not.toContain('key-id.txt');
  });
});

describe('redactFragments', () => {
  it('hides every run of 6 or more characters of a secret, as an excerpt that cuts it shows it', () => {
    const excerpt = `…Key: ${SECRET.slice(9, 30)}\n${SECRET.slice(0, 7)}…`;

    const text = redactFragments(`line 4: ${excerpt} at column 5`, [SECRET]);

    expect(text).toBe('line 4: …Key: ****\n****… at column 5');
  });

  it('leaves a text without 6 characters in a row of a secret as it is', () => {
    expect(redactFragments('r8Fq2 at line 4', [SECRET])).toBe(
      'r8Fq2 at line 4',
    );
  });
});

describe('secretsOf', () => {
  it('finds the secrets of the aws and connections blocks, AWS_* and APP_CONFIG_* variables', () => {
    const found = secretsOf(
      {
        aws: { accounts: [{ accountId: '1', externalId: 'external-1' }] },
        connections: { aws: [{ sessionToken: 'token-of-a-connection' }] },
      },
      {
        AWS_SECRET_ACCESS_KEY: ' env-secret ',
        APP_CONFIG_aws_mainAccount_secretAccessKey: '"app-config-secret"',
        APP_CONFIG_aws_mainAccount_region: '"eu-west-1"',
      },
    );

    expect(found).toEqual(
      expect.arrayContaining([
        'external-1',
        'token-of-a-connection',
        'env-secret',
        'app-config-secret',
      ]),
    );
    expect(found.join(' ')).not.toContain('eu-west-1');
  });
});
