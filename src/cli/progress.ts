/** Where progress goes: stderr, so that stdout stays the report. */
export type ProgressStream = {
  write(text: string): unknown;
  isTTY?: boolean;
};

/** Runs with more accounts than this show progress. */
export const PROGRESS_THRESHOLD = 10;

/** Counts finished probes on stderr. */
export type Progress = {
  /** One more account is done. */
  tick(): void;
  /** All are done. */
  done(): void;
};

/**
 * Progress of a long probe run: on a terminal one line that is rewritten
 * in place; elsewhere (CI logs) a line per tenth of the run, so a log is
 * not flooded. Short runs (at most {@link PROGRESS_THRESHOLD} accounts)
 * print nothing.
 */
export function createProgress(
  total: number,
  stream: ProgressStream,
): Progress {
  if (total <= PROGRESS_THRESHOLD) {
    return { tick() {}, done() {} };
  }
  const line = (n: number) => `Probed ${n} of ${total} AWS accounts`;
  let finished = 0;
  if (stream.isTTY) {
    return {
      tick() {
        finished += 1;
        stream.write(`\r${line(finished)}`);
      },
      done() {
        stream.write('\n');
      },
    };
  }
  const step = Math.ceil(total / 10);
  return {
    tick() {
      finished += 1;
      if (finished % step === 0 || finished === total) {
        stream.write(`${line(finished)}\n`);
      }
    },
    done() {},
  };
}
