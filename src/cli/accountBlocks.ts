import { shapingParts } from './renderShaping';
import { credentialsCell, expiryCell } from './renderTable';
import { AccountRow, CheckReport } from './types';
import { wrap } from './wrap';

/** The widest field label, `credentials`. */
const LABEL_WIDTH = 11;
/** Where a field's value starts: 2 of indent, the label, 2 of gap. */
const VALUE_COLUMN = 2 + LABEL_WIDTH + 2;

/** The narrowest a value gets, however narrow the width asked for. */
const MIN_VALUE_WIDTH = 40;

function field(label: string, value: string, width: number): string[] {
  const lines = wrap(value, Math.max(width - VALUE_COLUMN, MIN_VALUE_WIDTH));
  const indent = ' '.repeat(VALUE_COLUMN);
  return lines.map((line, i) =>
    i === 0 ? `  ${label.padEnd(LABEL_WIDTH)}  ${line}` : `${indent}${line}`,
  );
}

function title(row: AccountRow, label: string): string {
  return `${label}  ${row.source?.configPath ?? 'not in the config'}`;
}

function mainLabel(row: AccountRow): string {
  const known =
    row.source?.accountId ?? (row.probe?.ok && row.probe.callerAccount);
  return known ? `main account (${known})` : 'main account';
}

/** The fields of one account, those that say something. */
function fieldsOf(
  row: AccountRow,
  probed: boolean,
  isDefaults: boolean,
): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['credentials', credentialsCell(row)],
  ];
  const source = row.source;
  if (source?.roleArn) {
    fields.push(['role ARN', source.roleArn]);
  }
  if (source?.stsRegion) {
    fields.push(['STS region', source.stsRegion]);
  }
  if (source?.roleSessionName) {
    const session = [source.roleSessionName];
    if (source.durationSeconds) {
      session.push(`${source.durationSeconds} s`);
    }
    if (row.externalId) {
      session.push('external ID');
    }
    session.push(...shapingParts(row));
    fields.push(['session', session.join(', ')]);
    const tags = Object.keys(source.sessionTags ?? {});
    if (tags.length > 0) {
      fields.push(['tags', tags.join(', ')]);
    }
  }
  if (!probed) {
    return fields;
  }
  const probe = row.probe;
  if (isDefaults) {
    fields.push(['result', 'not probed: name an account with --account <id>']);
  } else if (!probe) {
    fields.push(['result', 'not probed']);
  } else if (!probe.ok) {
    fields.push(['result', `${probe.code} (see Failures below)`]);
  } else {
    fields.push(['result', 'ok']);
    if (probe.expiration) {
      fields.push(['expires', expiryCell(probe)]);
    }
    fields.push(['caller ARN', probe.callerArn]);
  }
  return fields;
}

function block(
  row: AccountRow,
  label: string,
  probed: boolean,
  width: number,
  isDefaults = false,
): string[] {
  return [
    ...wrap(title(row, label), width),
    ...fieldsOf(row, probed, isDefaults).flatMap(([name, value]) =>
      field(name, value, width),
    ),
  ];
}

/**
 * The accounts of a report, one block of lines each: a title (the
 * account and the config block it comes from), then its fields, each
 * value wrapped to fit `width`. Blocks are separated by a blank line.
 */
export function accountBlocks(report: CheckReport, width: number): string[] {
  const blocks = report.accounts.map(row =>
    block(row, row.accountId ?? mainLabel(row), report.probed, width),
  );
  if (report.accountDefaults) {
    blocks.push(
      block(
        report.accountDefaults,
        'any other account',
        report.probed,
        width,
        true,
      ),
    );
  }
  return blocks.flatMap((lines, i) => (i === 0 ? lines : ['', ...lines]));
}
