import { withTimeout } from './withTimeout';

describe('withTimeout', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('aborts the work and rejects with a TimeoutError when the time is up', async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const result = withTimeout(s => {
      signal = s;
      return new Promise<never>(() => {});
    }, 300);
    jest.advanceTimersByTime(300);
    await expect(result).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'no answer within 300 ms (aws.credentialsTimeout)',
    });
    expect(signal!.aborted).toBe(true);
  });

  it('never keeps the process alive with its timer', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const pending = withTimeout(() => new Promise<never>(() => {}), 60_000);
    const timer = setTimeoutSpy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
    clearTimeout(timer);
    pending.catch(() => {});
  });

  it('clears its timer and leaves the signal alone when the work finishes in time', async () => {
    let signal: AbortSignal | undefined;
    await expect(
      withTimeout(async s => {
        signal = s;
        return 'done';
      }, 60_000),
    ).resolves.toBe('done');
    expect(signal!.aborted).toBe(false);
  });
});
