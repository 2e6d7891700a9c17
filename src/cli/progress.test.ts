import { createProgress, PROGRESS_THRESHOLD } from './progress';

function run(total: number, isTTY: boolean): string {
  let text = '';
  const progress = createProgress(total, {
    isTTY,
    write: (s: string) => (text += s),
  });
  for (let i = 0; i < total; i++) {
    progress.tick();
  }
  progress.done();
  return text;
}

describe('createProgress', () => {
  it('prints nothing for a short run', () => {
    expect(run(PROGRESS_THRESHOLD, true)).toBe('');
  });

  it('prints a line per tenth of a long run when stderr is not a terminal', () => {
    const lines = run(40, false).trimEnd().split('\n');

    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('Probed 4 of 40 AWS accounts');
    expect(lines[9]).toBe('Probed 40 of 40 AWS accounts');
  });

  it('rewrites one line on a terminal and ends it', () => {
    const text = run(11, true);

    expect(text.startsWith('\rProbed 1 of 11 AWS accounts\r')).toBe(true);
    expect(text.endsWith('\rProbed 11 of 11 AWS accounts\n')).toBe(true);
  });
});
