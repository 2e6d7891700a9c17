/** The middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A 12-digit account ID: `base` followed by `i`, zero-padded. */
export function accountIdOf(base: number, i: number): string {
  return String(base * 1e9 + i).padStart(12, '0');
}

/** Progress goes to stderr so that stdout carries only the report. */
const startedAt = Date.now();
export function progress(message: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(`[bench ${seconds.padStart(5)} s] ${message}\n`);
}
