/**
 * Runs `work` with a signal that is aborted when `timeoutMs` is up; the
 * promise then rejects with a `TimeoutError`, and the work, which must
 * honour the signal, stops. The timer never keeps the process alive.
 */
export async function withTimeout<T>(
  work: (abortSignal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  what: string = 'aws.credentialsTimeout',
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms (${what})`);
      error.name = 'TimeoutError';
      reject(error);
      controller.abort(error);
    }, timeoutMs);
    timer.unref?.();
  });
  const running = work(controller.signal);
  // The work that loses the race still settles later; nobody awaits it.
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
