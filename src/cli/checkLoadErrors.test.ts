import { useTempDir } from './__testUtils__/useTempDir';
import { runBin } from './__testUtils__/runBin';
import { main } from './main';

// `check` on app-config that does not load: whatever the loader or its
// parsers say, the output keeps the file, line, column and the problem,
// and nothing of a value under a secret key.

const ACCESS_KEY_ID = 'AKIAQ7XJ2M4TZ9RW3KPL';
const SECRET_ACCESS_KEY = 'r8Fq2Lw9Zt/Hx4Nv7Bp1Kc6Ym3Dj0Gs5Ue8Ai2Xo';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEPv9Qm4Rt7Wz1Yb5Nc8Hd3Lk6';
const EXTERNAL_ID = 'ext-7Hq2Vw9Lr4Tz';
const SECRETS = [ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, EXTERNAL_ID];

/** The text without its spaces and line breaks: the text output wraps at 100 columns. */
const squash = (text: string) => text.replace(/\s+/g, '');

/**
 * Fails if any 6 characters in a row of a secret appear: a parser's
 * excerpt may cut a secret anywhere. The first 4 characters of the access
 * key ID may be shown, 6 in a row of it may not.
 */
function expectNothingOfASecret(text: string) {
  for (const secret of SECRETS) {
    for (let i = 0; i + 6 <= secret.length; i++) {
      const window = secret.slice(i, i + 6);
      if (text.includes(window)) {
        throw new Error(`output shows '${window}' of a secret:\n${text}`);
      }
    }
  }
}

describe('check on app-config that does not load', () => {
  const temp = useTempDir('cli-load-');
  const write = temp.write;

  async function check(args: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await main(['check', ...args], {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
      rootDir: temp.dir(),
    });
    expectNothingOfASecret(out.stdout + out.stderr);
    return { code, ...out };
  }

  /** Runs check in text and in JSON; both must keep the secrets out. */
  async function checkBoth(args: string[]) {
    const text = await check(args);
    const json = await check([...args, '--json']);
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const document = JSON.parse(json.stdout);
    expect(document.ok).toBe(false);
    return { text: text.stdout, document };
  }

  it('shows file, line, column and the problem of a mis-indented line under secretAccessKey, not the line', async () => {
    const file = write(
      'app-config.yaml',
      [
        'aws:',
        '  mainAccount:',
        `    accessKeyId: ${ACCESS_KEY_ID}`,
        `    secretAccessKey: ${SECRET_ACCESS_KEY}`,
        '   region: eu-west-1',
        '',
      ].join('\n'),
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(
        `Could not load app-config: ${file}:5:1: not valid YAML (BAD_INDENT):`,
      ),
    );
    expect(squash(text)).toContain(squash('source not shown'));
    expect(document.loadError).toContain(`${file}:5:1: not valid YAML`);
    expect(document.loadErrorLocation).toEqual({ file, line: 5, column: 1 });
  });

  it('names app-config.local.yaml when it is the file that does not parse, a secret continued on a more indented line', async () => {
    write('app-config.yaml', 'aws:\n  mainAccount:\n    region: eu-west-1\n');
    const local = write(
      'app-config.local.yaml',
      [
        'aws:',
        '  mainAccount:',
        `    sessionToken: ${SESSION_TOKEN.slice(0, 20)}`,
        `      ${SESSION_TOKEN.slice(20)}: x`,
        '',
      ].join('\n'),
    );

    const { text, document } = await checkBoth([]);

    expect(squash(text)).toContain(
      squash(`${local}:3:19: not valid YAML (BLOCK_AS_IMPLICIT_KEY)`),
    );
    expect(document.loadErrorLocation).toEqual({
      file: local,
      line: 3,
      column: 19,
    });
  });

  it('shows where a quoted secret lacks its closing quote', async () => {
    const file = write(
      'app-config.yaml',
      `aws:\n  accounts:\n    - accountId: "111111111111"\n      roleName: r\n      externalId: "${EXTERNAL_ID}\n`,
    );

    const { text } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(`${file}:6:1: not valid YAML (MISSING_CHAR)`),
    );
  });

  it('shows where a flow mapping with a ${VAR} breaks, not the line', async () => {
    const file = write(
      'app-config.yaml',
      `aws:\n  mainAccount: {accessKeyId: ${ACCESS_KEY_ID}, secretAccessKey: ${SECRET_ACCESS_KEY}\${SUFFIX}}\n`,
    );

    const { document } = await checkBoth(['--config', file]);

    expect(document.loadError).toMatch(
      new RegExp(`${file}:2:\\d+: not valid YAML \\(UNEXPECTED_TOKEN\\)`),
    );
  });

  it('shows where a JSON config file breaks, not the line', async () => {
    const file = write(
      'app-config.json',
      `{"aws": {"mainAccount": {"accessKeyId": "${ACCESS_KEY_ID}", "secretAccessKey": "${SECRET_ACCESS_KEY}" "region": "x"}}}\n`,
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(squash(`${file}:1:`));
    expect(document.loadErrorLocation).toMatchObject({ file, line: 1 });
  });

  it('names the key path and the included YAML file that does not parse, not its line', async () => {
    const file = write(
      'app-config.yaml',
      'aws:\n  mainAccount:\n    $include: keys.yaml\n',
    );
    const included = write(
      'keys.yaml',
      `accessKeyId: ${ACCESS_KEY_ID}\nsecretAccessKey: ${SECRET_ACCESS_KEY}\n region: eu\n`,
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(
        `Could not load app-config: ${file}: at aws.mainAccount: the included file ${included}:2:18: not valid YAML (BLOCK_AS_IMPLICIT_KEY)`,
      ),
    );
    expect(document.loadErrorLocation).toEqual({
      file: included,
      line: 2,
      column: 18,
      keyPath: 'aws.mainAccount',
    });
  });

  it('names the included JSON file that does not parse, without the excerpt the JSON parser quotes', async () => {
    const file = write(
      'app-config.yaml',
      'aws:\n  mainAccount:\n    $include: keys.json\n',
    );
    // JSON.parse says: Unexpected token 'r', ..."cessKey": r8Fq2Lw9Zt/"... is not valid JSON
    const included = write(
      'keys.json',
      `{\n  "accessKeyId": "${ACCESS_KEY_ID}",\n  "secretAccessKey": ${SECRET_ACCESS_KEY}\n}\n`,
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(
        `${file}: at aws.mainAccount: the included file ${included}: not valid JSON`,
      ),
    );
    expect(document.loadErrorLocation).toMatchObject({
      file: included,
      keyPath: 'aws.mainAccount',
    });
  });

  it('gives the line and column of an included JSON file when the JSON parser names a position', async () => {
    const file = write(
      'app-config.yaml',
      'aws:\n  mainAccount:\n    $include: keys.json\n',
    );
    const included = write(
      'keys.json',
      `{\n  "accessKeyId": "${ACCESS_KEY_ID}",\n  "secretAccessKey": "${SECRET_ACCESS_KEY}"\n  "region": "x"\n}\n`,
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(`the included file ${included}:4:3: not valid JSON`),
    );
    expect(document.loadErrorLocation).toEqual({
      file: included,
      line: 4,
      column: 3,
      keyPath: 'aws.mainAccount',
    });
  });

  it('names the key path of a $file that is missing', async () => {
    const file = write(
      'app-config.yaml',
      `aws:\n  mainAccount:\n    accessKeyId: ${ACCESS_KEY_ID}\n    secretAccessKey:\n      $file: secret.txt\n`,
    );

    const { text, document } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(
        `${file}: at aws.mainAccount.secretAccessKey: failed to read file secret.txt`,
      ),
    );
    expect(document.loadErrorLocation).toEqual({
      file,
      keyPath: 'aws.mainAccount.secretAccessKey',
    });
  });

  it('names the key path of an $include whose ${VAR} is not set', async () => {
    const file = write(
      'app-config.yaml',
      `aws:\n  mainAccount:\n    $include: \${KEYS_DIR}/keys.yaml\n`,
    );

    const { text } = await checkBoth(['--config', file]);

    expect(squash(text)).toContain(
      squash(
        `${file}: at aws.mainAccount: $include substitution value was undefined`,
      ),
    );
  });

  it('keeps the secret out through the bin too, in text and --json', async () => {
    const file = write(
      'app-config.yaml',
      [
        'aws:',
        '  mainAccount:',
        `    accessKeyId: ${ACCESS_KEY_ID}`,
        `    secretAccessKey: ${SECRET_ACCESS_KEY}`,
        '   region: eu-west-1',
        '',
      ].join('\n'),
    );

    const text = await runBin(['check', '--config', file], temp.dir());
    const json = await runBin(
      ['check', '--json', '--config', file],
      temp.dir(),
    );

    expect(text.code).toBe(1);
    expect(squash(text.stdout)).toContain(
      squash(
        `Could not load app-config: ${file}:5:1: not valid YAML (BAD_INDENT)`,
      ),
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).loadErrorLocation).toEqual({
      file,
      line: 5,
      column: 1,
    });
    expectNothingOfASecret(text.stdout + text.stderr);
    expectNothingOfASecret(json.stdout + json.stderr);
  }, 60_000);
});
