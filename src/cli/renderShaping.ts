import { AccountRow } from './types';

/** `ReadOnlyAccess` for `arn:aws:iam::aws:policy/ReadOnlyAccess`. */
function policyName(arn: string): string {
  return arn.slice(arn.indexOf(':policy/') + ':policy/'.length);
}

/**
 * What shapes a session beyond its role, for the session cell: the
 * source identity, and the session policies summarised (managed ones by
 * name, the inline one by its size).
 */
export function shapingParts(row: AccountRow): string[] {
  const source = row.source;
  const parts: string[] = [];
  if (source?.sourceIdentity) {
    parts.push(`source identity ${source.sourceIdentity}`);
  }
  if (source?.sessionPolicyArns) {
    parts.push(
      `policies ${source.sessionPolicyArns.map(policyName).join(',')}`,
    );
  }
  if (source?.sessionPolicyLength !== undefined) {
    parts.push(`inline policy ${source.sessionPolicyLength} chars`);
  }
  return parts;
}

/**
 * `  333333333333: arn:…:role/Hub (ok) → arn:…:role/Reader (failed)`: the
 * role chain of each row that has one, with each hop's probe result.
 */
export function chainLines(
  rows: Array<{ label: string; row: AccountRow }>,
): string[] {
  const lines: string[] = [];
  for (const { label, row } of rows) {
    const chain = row.source?.roleChain;
    if (!chain || !row.source?.roleArn) {
      continue;
    }
    const hops = row.probe?.hops;
    const roles = [...chain, row.source.roleArn].map((roleArn, i) =>
      hops ? `${roleArn} (${hops[i].result})` : roleArn,
    );
    lines.push(`  ${label}: ${roles.join(' → ')}`);
  }
  return lines;
}
