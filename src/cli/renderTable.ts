import { shapingParts } from './renderShaping';
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

/** `111111111111`, or `main (111111111111)` for the main account. */
export function accountLabel(row: AccountRow): string {
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
    return "the main account's, if this is its ID";
  }
  switch (source.kind) {
    case 'static':
      return `static keys${key}`;
    case 'profile':
      return `profile '${source.profile}'`;
    case 'default_chain':
      return 'default chain';
    case 'web_identity':
      return `web identity, token file ${source.webIdentityTokenFile}`;
    default:
      return source.signedWith === 'own keys'
        ? `role, assumed with its own keys${key}`
        : "role, assumed with the main account's credentials";
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
  parts.push(...shapingParts(row));
  return parts.join(', ');
}

/** `2025-01-31T12:00:00Z`: an expiry to the second is precise enough. */
export function expiryCell(probe: ProbeResult | undefined): string {
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

/**
 * The accounts of a report as one table, a row per account and as wide
 * as its cells (`check --wide`).
 */
export function accountTable(report: CheckReport): string[] {
  const table = [
    headers(report.probed),
    ...report.accounts.map(row => cells(row, report.probed)),
  ];
  if (report.accountDefaults) {
    const other = cells(report.accountDefaults, report.probed);
    other[0] = 'any other';
    if (report.probed) {
      other.splice(-3, 3, 'use --account', NONE, NONE);
    }
    table.push(other);
  }
  return formatColumns(table);
}
