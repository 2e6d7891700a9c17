import {
  LookupOptions,
  Manager,
  ORIGINAL,
  OURS,
  arnOf,
  declaredConfig,
} from '../implementations';
import { Row, fmtRate } from '../report';
import { accountIdOf, median, range } from '../util';
import { Workload, atLeastOriginal, compare } from '../workload';

const ACCOUNTS = 10;
const ARNS_PER_ACCOUNT = 10; // distinct ARNs per account
const WARM_UP_ROUNDS = 200; // every lookup, before any run is timed
const RUNS = 7; // per implementation and kind of lookup
const RUN_MS = 250; // minimum length of one run

/** Lookups per second, in a loop of at least RUN_MS over `lookups`. */
async function lookupsPerSecond(
  manager: Manager,
  lookups: LookupOptions[],
): Promise<number> {
  let done = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  do {
    for (const opts of lookups) {
      await manager.getCredentialProvider(opts);
    }
    done += lookups.length;
    elapsedNs = process.hrtime.bigint() - start;
  } while (elapsedNs < BigInt(RUN_MS) * 1_000_000n);
  return done / (Number(elapsedNs) / 1e9);
}

/**
 * 4. The lookup a plugin makes on every request, once everything is cached:
 * `await getCredentialProvider(...)` in a loop, no STS call involved.
 */
async function medianRates(
  lookups: LookupOptions[],
  accountIds: string[],
): Promise<{ ours: number; original: number }> {
  const managers = [OURS, ORIGINAL].map(impl =>
    impl.make(declaredConfig(accountIds)),
  );
  const rates: number[][] = [[], []];
  for (const i of [0, 1]) {
    // Warm up: every provider created, every ARN seen, code optimised.
    for (const _ of range(WARM_UP_ROUNDS)) {
      for (const opts of lookups) {
        await managers[i].getCredentialProvider(opts);
      }
    }
  }
  for (const run of range(RUNS)) {
    // Alternate who goes first, so that drift hits both alike.
    for (const i of run % 2 ? [1, 0] : [0, 1]) {
      rates[i].push(await lookupsPerSecond(managers[i], lookups));
    }
  }
  const [ours, original] = rates.map(median);
  return { ours, original };
}

export const warmLookups: Workload = {
  id: '4',
  title: 'warm lookups',
  targets: [atLeastOriginal],
  async run() {
    const accountIds = range(ACCOUNTS).map(i => accountIdOf(204, i));
    const byKind: Array<[string, LookupOptions[]]> = [
      ['account ID', accountIds.map(accountId => ({ accountId }))],
      [
        'ARN',
        accountIds.flatMap(accountId =>
          range(ARNS_PER_ACCOUNT).map(n => ({ arn: arnOf(accountId, n) })),
        ),
      ],
    ];
    const rows: Row[] = [];
    for (const [label, lookups] of byKind) {
      rows.push(
        compare(
          `warm lookups per second by ${label} (${lookups.length} distinct, median of ${RUNS})`,
          atLeastOriginal,
          await medianRates(lookups, accountIds),
          fmtRate,
          r => r,
        ),
      );
    }
    return rows;
  },
};
