import { main, USAGE } from './main';

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
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
    [['check', '--prob'], "Unknown option '--prob'"],
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
});
