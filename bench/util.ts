import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

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

export function machineInfo(): string[] {
  let cpu = 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(
      readFileSync('/proc/cpuinfo', 'utf8'),
    );
    cpu = match ? match[1].trim() : cpu;
  } catch {
    // not Linux; leave it unknown
  }
  return [
    `nproc: ${availableParallelism()}`,
    `CPU: ${cpu}`,
    `RAM: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node: ${process.version} (${process.platform}-${process.arch})`,
  ];
}

/** One line of the report. */
export interface Row {
  id: string;
  what: string;
  ours: string;
  original: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

export function ratio(ours: number, original: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(original) || original === 0) {
    return '–';
  }
  const r = ours / original;
  if (r >= 100) {
    return r.toFixed(0);
  }
  return r >= 10 ? r.toFixed(1) : r.toFixed(3);
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

export function fmtRate(perSecond: number): string {
  if (perSecond >= 1e6) {
    return `${(perSecond / 1e6).toFixed(2)} M/s`;
  }
  return `${(perSecond / 1e3).toFixed(0)} k/s`;
}

export function fmtMb(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

function metLabel(met: boolean | undefined): string {
  if (met === undefined) {
    return '–';
  }
  return met ? 'yes' : '**NO**';
}

/** A Markdown table, columns padded so it also reads well in a terminal. */
export function renderTable(rows: Row[]): string {
  const header = [
    '#',
    'measurement',
    'ours',
    'original',
    'ours ÷ original',
    'target',
    'met',
  ];
  const cells = rows.map(r => [
    r.id,
    r.what,
    r.ours,
    r.original,
    r.ratio,
    r.target,
    metLabel(r.met),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map(c => c[i].length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
