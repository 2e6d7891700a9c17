import { AccountRow, CheckReport, ProbeResult } from './types';

const NONE = '-';

/** Pads every column but the last to its widest cell. */
export function formatColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map(row =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function accountLabel(row: AccountRow): string {
  if (row.accountId !== undefined) {
    return row.accountId;
  }
  const known =
    row.source?.accountId ?? (row.probe?.ok && row.probe.callerAccount);
  return known ? `main (${known})` : 'main';
}

/** Where the credentials come from, without any secret. */
export function credentialsCell(row: AccountRow): string {
  const source = row.source;
  const key = row.accessKeyIdPrefix ? ` ${row.accessKeyIdPrefix}…` : '';
  if (!source) {
    return "main account's, if it is its ID";
  }
  switch (source.kind) {
    case 'static':
      return `static keys${key}`;
    case 'profile':
      return `profile '${source.profile}'`;
    case 'default_chain':
      return 'default chain';
    case 'web_identity':
      return `web identity, token ${source.webIdentityTokenFile}`;
    default:
      return source.signedWith === 'own keys'
        ? `role, signed with own keys${key}`
        : "role, signed with main account's";
  }
}

/** The session name, then tag keys, duration and external ID where set. */
export function sessionCell(row: AccountRow): string {
  const source = row.source;
  if (!source?.roleSessionName) {
    return NONE;
  }
  const parts = [source.roleSessionName];
  const tags = Object.keys(source.sessionTags ?? {});
  if (tags.length > 0) {
    parts.push(`tags ${tags.join(',')}`);
  }
  if (source.durationSeconds) {
    parts.push(`${source.durationSeconds} s`);
  }
  if (row.externalId) {
    parts.push('external ID');
  }
  return parts.join(', ');
}

/** `2025-01-31T12:00:00Z`: an expiry to the second is precise enough. */
function expiryCell(probe: ProbeResult | undefined): string {
  if (!probe?.ok || !probe.expiration) {
    return NONE;
  }
  return probe.expiration.replace(/\.\d{3}Z$/, 'Z');
}

function cells(row: AccountRow, probed: boolean): string[] {
  const base = [
    accountLabel(row),
    row.source?.configPath ?? NONE,
    credentialsCell(row),
    row.source?.roleArn ?? NONE,
    row.source?.stsRegion ?? NONE,
    sessionCell(row),
  ];
  if (!probed) {
    return base;
  }
  const probe = row.probe;
  if (!probe) {
    return [...base, 'not probed', NONE, NONE];
  }
  return probe.ok
    ? [...base, 'ok', expiryCell(probe), probe.callerArn]
    : [...base, probe.code, NONE, NONE];
}

function headers(probed: boolean): string[] {
  const base = [
    'ACCOUNT',
    'CONFIG',
    'CREDENTIALS',
    'ROLE ARN',
    'STS REGION',
    'SESSION',
  ];
  return probed ? [...base, 'RESULT', 'EXPIRES', 'CALLER ARN'] : base;
}

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
      lines.push(`    ${probe.message.split('\n').join('\n    ')}`);
      lines.push(`    Fix: ${probe.fix}`);
    }
  }
  return lines;
}

function summary(report: CheckReport): string {
  const total = report.accounts.length;
  const failed = report.accounts.filter(a => a.probe && !a.probe.ok).length;
  if (failed > 0) {
    return `${failed} of ${total} account(s) failed.`;
  }
  return `All ${total} account(s) work.`;
}

/** The report for a person: the table, failures with their fixes, a summary. */
export function renderTable(report: CheckReport): string {
  const lines: string[] = [];
  const sources = report.configSources.map(s =>
    s === 'env' ? 'APP_CONFIG_* variables' : s,
  );
  lines.push(`Config: ${sources.length ? sources.join(', ') : 'none'}`);
  if (report.loadError) {
    lines.push(`Could not load app-config: ${report.loadError}`);
    return `${lines.join('\n')}\n`;
  }
  if (report.problems.length > 0) {
    const where = report.problems.some(p => p.startsWith('connections'))
      ? 'The aws block and the aws connection have'
      : 'The aws block has';
    lines.push(
      `${where} ${report.problems.length} problem(s); the backend would refuse to start:`,
      ...report.problems.map(p => `  - ${p}`),
    );
    return `${lines.join('\n')}\n`;
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
  const rows = [...report.accounts];
  const table = [
    headers(report.probed),
    ...rows.map(row => cells(row, report.probed)),
  ];
  if (report.accountDefaults) {
    const other = cells(report.accountDefaults, report.probed);
    other[0] = 'any other';
    if (report.probed) {
      other.splice(-3, 3, 'use --account', NONE, NONE);
    }
    table.push(other);
  }
  lines.push(...formatColumns(table));
  const endpoints = endpointLines([
    ...rows,
    ...(report.accountDefaults ? [report.accountDefaults] : []),
  ]);
  if (endpoints.length > 0) {
    lines.push('', 'STS endpoints:', ...endpoints);
  }
  if (report.probed) {
    const failures = failureLines(rows);
    if (failures.length > 0) {
      lines.push('', 'Failures:', ...failures);
    }
    lines.push('', summary(report));
  }
  return `${lines.join('\n')}\n`;
}
