import { ORIGINAL, OURS, declaredConfig } from '../implementations';
import { RUNS, lookupKinds, medianLookupRates } from '../lookupRates';
import { Row, fmtRate } from '../report';
import { accountIdOf, progress, range } from '../util';
import { Workload, atLeastOriginal, compare } from '../workload';

const ACCOUNTS = 10;

/**
 * 4. The lookup a plugin makes on every request, once everything is
 * cached, through `DefaultAwsCredentialsManager.fromConfig` of each
 * package (workload 7 does the same through a plugin's view of the
 * service).
 */
export const warmLookups: Workload = {
  id: '4',
  title: 'warm lookups',
  targets: [atLeastOriginal],
  async run() {
    const accountIds = range(ACCOUNTS).map(i => accountIdOf(204, i));
    const aws = declaredConfig(accountIds);
    const rows: Row[] = [];
    for (const { label, detail, lookups } of lookupKinds(accountIds)) {
      progress(`4: warm lookups ${label}`);
      rows.push(
        compare(
          `warm lookups per second ${label} (${detail}, median of ${RUNS})`,
          atLeastOriginal,
          await medianLookupRates(
            { ours: OURS.make(aws), original: ORIGINAL.make(aws) },
            lookups,
          ),
          fmtRate,
          r => r,
        ),
      );
    }
    return rows;
  },
};
