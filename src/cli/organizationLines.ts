import { expiryCell, formatColumns } from './renderTable';
import { OrganizationAccountRow, OrganizationReport } from './types';

const NONE = '-';

function resultCell(account: OrganizationAccountRow): string {
  const probe = account.probe;
  if (!probe) {
    return 'not probed';
  }
  return probe.ok ? 'ok' : probe.code;
}

function tagsCell(account: OrganizationAccountRow): string {
  const tags = Object.entries(account.tags ?? {});
  return tags.length ? tags.map(([k, v]) => `${k}=${v}`).join(',') : NONE;
}

/**
 * The organization's section of the text report: how it is listed, the
 * count, then a line per account (ID, name, OU and result; `wide` adds
 * tags, expiry and caller ARN), or why it could not be listed.
 */
export function organizationLines(
  report: OrganizationReport,
  wide: boolean,
): string[] {
  const listedBy = report.listAccountsRoleArn
    ? `listed with ${report.listAccountsRoleArn}`
    : "listed with the main account's credentials";
  const lines = [
    `Organization (${report.configPath}): role ${report.roleName} in each account`,
    `  ${listedBy}`,
  ];
  if (report.listingError) {
    const { code, message, fix } = report.listingError;
    lines.push(
      `  Could not list its accounts: ${code}`,
      ...message.split('\n').map(line => `    ${line}`),
      `    Fix: ${fix}`,
    );
    return lines;
  }
  const { accounts } = report;
  lines.push(`  ${accounts.length} account(s) discovered`);
  if (accounts.length === 0) {
    return lines;
  }
  const probed = accounts.some(a => a.probe);
  const header = ['ACCOUNT', 'NAME', 'OU'];
  if (wide) {
    header.push('TAGS');
  }
  if (probed) {
    header.push('RESULT', ...(wide ? ['EXPIRES', 'CALLER ARN'] : []));
  }
  const rows = accounts.map(account => {
    const cells = [
      account.accountId,
      account.name ?? NONE,
      account.organizationalUnitId ?? NONE,
    ];
    if (wide) {
      cells.push(tagsCell(account));
    }
    if (probed) {
      cells.push(resultCell(account));
      if (wide) {
        const probe = account.probe;
        cells.push(expiryCell(probe), probe?.ok ? probe.callerArn : NONE);
      }
    }
    return cells;
  });
  lines.push(...formatColumns([header, ...rows]).map(line => `  ${line}`));
  return lines;
}

/** The failed probes of discovered accounts, as the Failures section words them. */
export function organizationFailureLines(
  report: OrganizationReport | undefined,
): string[] {
  const lines: string[] = [];
  for (const account of report?.accounts ?? []) {
    const probe = account.probe;
    if (probe && !probe.ok) {
      lines.push(
        `  ${account.accountId} (${report!.configPath}): ${probe.code}`,
      );
      lines.push(...probe.message.split('\n').map(line => `    ${line}`));
      lines.push(`    Fix: ${probe.fix}`);
    }
  }
  return lines;
}
