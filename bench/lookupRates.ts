import { LookupOptions, Manager, arnOf } from './implementations';
import { median, range } from './util';

/** One warm lookup: its options, or undefined for the main account. */
export type Lookup = LookupOptions | undefined;

const WARM_UP_ROUNDS = 200; // every lookup, before any run is timed
export const RUNS = 35; // per manager and kind of lookup
const RUN_MS = 50; // minimum length of one run

/** Lookups per second, in a loop of at least RUN_MS over `lookups`. */
async function lookupsPerSecond(
  manager: Manager,
  lookups: Lookup[],
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
 * The lookup a plugin makes on every request, once everything is cached:
 * `await getCredentialProvider(...)` in a loop, no STS call involved. Both
 * managers warm up first (every provider created, every ARN seen, code
 * optimised), then take turns, RUNS times each; the median rate of each.
 */
export async function medianLookupRates(
  managers: { ours: Manager; original: Manager },
  lookups: Lookup[],
): Promise<{ ours: number; original: number }> {
  const both = [managers.ours, managers.original];
  for (const manager of both) {
    for (const _ of range(WARM_UP_ROUNDS)) {
      for (const opts of lookups) {
        await manager.getCredentialProvider(opts);
      }
    }
  }
  const rates: number[][] = [[], []];
  for (const run of range(RUNS)) {
    // Alternate who goes first, so that drift hits both alike.
    for (const i of run % 2 ? [1, 0] : [0, 1]) {
      rates[i].push(await lookupsPerSecond(both[i], lookups));
    }
  }
  const [ours, original] = rates.map(median);
  return { ours, original };
}

const ARNS_PER_ACCOUNT = 10; // distinct ARNs per account

/**
 * The three kinds of warm lookup: by account ID (one per account), by ARN
 * (ARNS_PER_ACCOUNT distinct ones per account), and with no account at all
 * (`getCredentialProvider()`, the main account). `detail` says how many
 * lookups a pass makes between two reads of the clock.
 */
export function lookupKinds(
  accountIds: string[],
): Array<{ label: string; detail: string; lookups: Lookup[] }> {
  const byId = accountIds.map(accountId => ({ accountId }));
  const byArn = accountIds.flatMap(accountId =>
    range(ARNS_PER_ACCOUNT).map(n => ({ arn: arnOf(accountId, n) })),
  );
  return [
    {
      label: 'by account ID',
      detail: `${byId.length} distinct`,
      lookups: byId,
    },
    { label: 'by ARN', detail: `${byArn.length} distinct`, lookups: byArn },
    {
      label: 'with no account (the main account)',
      detail: `\`getCredentialProvider()\`, ${byId.length} per clock read`,
      // As many per pass as by account ID, so that reading the clock
      // weighs the same in both.
      lookups: byId.map(() => undefined),
    },
  ];
}
