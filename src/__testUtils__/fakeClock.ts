/**
 * Fakes the clock (Date) and nothing else: timers, I/O and promises run as
 * usual, so the real SDK and the loopback STS keep working, while time
 * moves only when a test moves it. Restore with `jest.useRealTimers()`.
 */
export function useFakeClock(): {
  advance(ms: number): void;
  set(t: number): void;
} {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  return {
    advance: ms => jest.setSystemTime(Date.now() + ms),
    set: t => jest.setSystemTime(t),
  };
}

/** Lets promise callbacks and the I/O they started run. */
export const settle = () => new Promise(r => setImmediate(r));

/**
 * Turns the event loop until `done()` holds (at most `turns` times, with a
 * real pause of 1 ms between turns so that socket I/O can complete).
 */
export async function settleUntil(
  done: () => Promise<boolean> | boolean,
  turns = 2000,
) {
  for (let turn = 0; turn < turns && !(await done()); turn++) {
    await new Promise(r => setTimeout(r, 1));
  }
}
