import { CheckReport } from './types';

/**
 * The report for machines: one JSON document, the {@link CheckReport} as
 * it is (stdout carries nothing else with `--json`). Access key IDs appear
 * only as `accessKeyIdPrefix`, their first 4 characters.
 */
export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
