import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** One line of the report, as a workload measures it. */
export interface Row {
  what: string;
  ours: string;
  original: string;
  ratio: string;
  /** The text of the target, as the workload declares it. */
  target: string;
  /** Undefined for figures that are only reported. */
  met: boolean | undefined;
}

/** A row with the number of the workload that measured it. */
export type NumberedRow = Row & { id: string };

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

function machineInfo(): string[] {
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

function metLabel(met: boolean | undefined): string {
  if (met === undefined) {
    return '–';
  }
  return met ? 'yes' : '**NO**';
}

/** A Markdown table, columns padded so it also reads well in a terminal. */
function renderTable(rows: NumberedRow[]): string {
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

/** The whole Markdown report: machine, table, missed targets, runtime. */
export function renderReport(rows: NumberedRow[], seconds: number): string {
  const missed = rows.filter(r => r.met === false);
  const lines = [
    `# backstage-aws-credentials (ours) vs @backstage/integration-aws-node (original)`,
    '',
    ...machineInfo().map(l => `- ${l}`),
    `- date: ${new Date().toISOString()}`,
    '',
    renderTable(rows),
    '',
    `Counts are exact. Rates and times are medians; ratios are ours ÷ original from this run.`,
    `Targets missed: ${
      missed.length ? missed.map(r => `${r.id} (${r.what})`).join('; ') : 'none'
    }`,
    `Total runtime: ${seconds.toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}
