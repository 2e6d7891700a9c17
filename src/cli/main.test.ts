import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, USAGE } from './main';

function io(terminal?: { columns: number }) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: {
        write: (s: string) => (out.stdout += s),
        ...(terminal && { isTTY: true, columns: terminal.columns }),
      },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
    },
  };
}

describe('main', () => {
  it('prints the usage on stdout for --help and exits 0', async () => {
    const { out, io: streams } = io();

    expect(await main(['--help'], streams)).toBe(0);
    expect(await main(['check', '-h'], streams)).toBe(0);
    expect(out.stdout).toBe(USAGE + USAGE);
    expect(out.stderr).toBe('');
  });

  it.each([
    [[], ''],
    [['verify'], "Unknown command 'verify'."],
    [['check', '--prob'], "unknown option '--prob'"],
    [['check', '--config'], "option '--config' needs a value"],
    [['check', '--config', '--probe'], "option '--config' needs a value"],
    [['check', '--probe=yes'], "option '--probe' takes no value"],
    [['check', 'extra'], "unexpected argument 'extra'"],
    [['check', '--concurrency', '0'], '--concurrency 0 is not a whole number'],
    [['check', '--concurrency', 'x'], '--concurrency x is not a whole number'],
    [
      ['check', '--account', '1234567890123'],
      'is not a 12-digit AWS account ID',
    ],
  ])(
    'refuses %j with exit code 2 and the usage on stderr',
    async (args, message) => {
      const { out, io: streams } = io();

      expect(await main(args, streams)).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(message);
      expect(out.stderr).toContain(USAGE);
    },
  );

  it("refuses an unknown option with the command's own message, then the usage", async () => {
    const { out, io: streams } = io();

    expect(await main(['check', '--probe', '-x'], streams)).toBe(2);
    expect(out.stderr).toBe(
      `backstage-aws-credentials check: unknown option '-x'\n\n${USAGE}`,
    );
  });

  it('documents every option in a usage that fits 80 columns', () => {
    for (const option of ['--config', '--probe', '--account', '--plugin']) {
      expect(USAGE).toContain(`  ${option} `);
    }
    expect(USAGE).toMatch(/--wide {2,}One table row per account/);
    expect(
      Math.max(...USAGE.split('\n').map(l => l.length)),
    ).toBeLessThanOrEqual(80);
  });

  describe('the width of the text', () => {
    let dir: string;
    let config: string;
    const arn = `arn:aws:iam::333333333333:role/${'r'.repeat(64)}`;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cli-width-'));
      config = join(dir, 'app-config.yaml');
      writeFileSync(
        config,
        `aws:\n  accounts:\n    - accountId: "333333333333"\n      roleName: ${'r'.repeat(
          64,
        )}\n`,
      );
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const longest = (text: string) =>
      Math.max(...text.split('\n').map(l => l.length));

    it('fits 100 columns when stdout is not a terminal, or a terminal narrower than that', async () => {
      for (const terminal of [undefined, { columns: 80 }]) {
        const { out, io: streams } = io(terminal);

        expect(await main(['check', '--config', config], streams)).toBe(0);
        expect(longest(out.stdout)).toBeLessThanOrEqual(100);
        expect(out.stdout).not.toContain(arn);
      }
    });

    it("takes a wider terminal's width", async () => {
      const { out, io: streams } = io({ columns: 160 });

      expect(await main(['check', '--config', config], streams)).toBe(0);
      expect(longest(out.stdout)).toBeLessThanOrEqual(160);
      expect(out.stdout).toContain(`  role ARN     ${arn}\n`);
    });
  });
});
