import { accountBlocks } from './accountBlocks';
import { accountLabel, accountTable } from './renderTable';
import { chainLines } from './renderShaping';
import {
  organizationFailureLines,
  organizationLines,
} from './organizationLines';
import { AccountRow, CheckReport } from './types';
import { wrapLine } from './wrap';

/** How the report is laid out for a person. */
export type TextLayout = {
  /** One table row per account, as wide as it takes (`--wide`). */
  wide: boolean;
  /** The columns to fit, but for `wide`'s table. */
  width: number;
};

/** The width `check` fits by default: a terminal wider than that gets its own. */
export const DEFAULT_WIDTH = 100;

/** `us-east-1 at https://sts.us-east-1.amazonaws.com`, once per region. */
function endpointLines(rows: AccountRow[]): string[] {
  const byRegion = new Map<string, string>();
  for (const row of rows) {
    if (row.source?.stsRegion && row.stsEndpoint) {
      byRegion.set(row.source.stsRegion, row.stsEndpoint);
    }
  }
  return [...byRegion].map(([region, url]) => `  ${region} at ${url}`);
}

function failureLines(rows: AccountRow[]): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const probe = row.probe;
    if (probe && !probe.ok) {
      const where = row.source ? ` (${row.source.configPath})` : '';
      lines.push(`  ${accountLabel(row)}${where}: ${probe.code}`);
      lines.push(...probe.message.split('\n').map(line => `    ${line}`));
      lines.push(`    Fix: ${probe.fix}`);
    }
  }
  return lines;
}

/** Each unset `${VAR}`: a problem, though the backend would start. */
function unsetLines(report: CheckReport): string[] {
  const unset = report.unsetVariables;
  if (unset.length === 0) {
    return [];
  }
  return [
    `${unset.length} variable(s) of app-config not set; the config loader leaves out each key that uses one:`,
    ...unset.map(
      u => `  - ${u.keyPath}: \${${u.variable}} is not set (${u.file})`,
    ),
    'Set each, or give it a fallback: ${NAME:-value}.',
  ];
}

function summary(report: CheckReport): string {
  const discovered = report.organization?.accounts ?? [];
  const total = report.accounts.length + discovered.length;
  const failed = [...report.accounts, ...discovered].filter(
    a => a.probe && !a.probe.ok,
  ).length;
  const unlisted = report.organization?.listingError
    ? 'The organization could not be listed; '
    : '';
  if (failed > 0) {
    return `${unlisted}${failed} of ${total} account(s) failed.`;
  }
  return unlisted
    ? `${unlisted}the other ${total} account(s) work.`
    : `All ${total} account(s) work.`;
}

/** Everything above the accounts; `done` when nothing else may follow. */
function head(report: CheckReport): { lines: string[]; done: boolean } {
  const sources = report.configSources.map(s =>
    s === 'env' ? 'APP_CONFIG_* variables' : s,
  );
  const lines = [`Config: ${sources.length ? sources.join(', ') : 'none'}`];
  if (report.loadError) {
    lines.push(`Could not load app-config: ${report.loadError}`);
    return { lines, done: true };
  }
  lines.push(...unsetLines(report));
  if (report.problems.length > 0) {
    const where = report.problems.some(p => p.startsWith('connections'))
      ? 'The aws block and the aws connection have'
      : 'The aws block has';
    lines.push(
      `${where} ${report.problems.length} problem(s); the backend would refuse to start:`,
      ...report.problems.map(p => `  - ${p}`),
    );
    return { lines, done: true };
  }
  for (const warning of report.warnings) {
    lines.push(`Warning: ${warning.message}`);
  }
  if (report.accountsFrom && report.accountsFrom !== 'aws') {
    lines.push(
      `Accounts: the aws connection ${report.accountsFrom}; settings: the aws block (STS, timeout, allow-lists, session names and tags, plugins)`,
    );
  }
  lines.push(`Credentials timeout: ${report.timeoutMs} ms`, '');
  return { lines, done: false };
}

/** Everything below the accounts. */
function tail(report: CheckReport, wide: boolean): string[] {
  const lines: string[] = [];
  if (report.organization) {
    lines.push('', ...organizationLines(report.organization, wide));
  }
  const endpoints = endpointLines([
    ...report.accounts,
    ...(report.accountDefaults ? [report.accountDefaults] : []),
  ]);
  if (endpoints.length > 0) {
    lines.push('', 'STS endpoints:', ...endpoints);
  }
  const chains = chainLines([
    ...report.accounts.map(row => ({ label: accountLabel(row), row })),
    ...(report.accountDefaults
      ? [{ label: 'any other', row: report.accountDefaults }]
      : []),
  ]);
  if (chains.length > 0) {
    lines.push('', 'Role chains:', ...chains);
  }
  if (report.probed) {
    const failures = [
      ...failureLines(report.accounts),
      ...organizationFailureLines(report.organization),
    ];
    if (failures.length > 0) {
      lines.push('', 'Failures:', ...failures);
    }
    lines.push('', summary(report));
  }
  return lines;
}

/**
 * The report for a person: the config read, its problems, then the
 * accounts (a block each, fitting `width`; or, `wide`, one table), the
 * STS endpoints, the failures with their fixes, and a summary.
 */
export function renderText(report: CheckReport, layout: TextLayout): string {
  const fit = (lines: string[]) =>
    layout.wide ? lines : lines.flatMap(line => wrapLine(line, layout.width));
  const top = head(report);
  const lines = fit(top.lines);
  if (!top.done) {
    lines.push(
      ...(layout.wide
        ? accountTable(report)
        : accountBlocks(report, layout.width)),
      ...fit(tail(report, layout.wide)),
    );
  }
  return `${lines.join('\n')}\n`;
}
