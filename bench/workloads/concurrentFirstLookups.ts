import {
  AccountKind,
  Impl,
  KIND_LABEL,
  ORIGINAL,
  OURS,
  configFor,
  lookupOf,
} from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Target, Workload, compare } from '../workload';

const LOOKUPS = 200;

type Result = { assumeRole: number; distinct: number };

/** All callers share one AssumeRole and so one set of credentials. */
const oneCall: Target<Result> = {
  text: '= 1',
  met: ours => ours.assumeRole === 1 && ours.distinct === 1,
};

/**
 * 2. A burst of first lookups of one account, each followed by a call of
 * `sdkCredentialProvider()`, as at start-up when many requests come in.
 */
async function measure(
  { sts }: Bench,
  impl: Impl,
  kind: AccountKind,
): Promise<Result> {
  resetSts(sts);
  const accountId = accountIdOf(kind === 'declared' ? 202 : 302, 0);
  const manager = impl.make(configFor(kind, [accountId]));
  const credentials = await Promise.all(
    range(LOOKUPS).map(async n => {
      const provider = await manager.getCredentialProvider(
        lookupOf(kind, accountId, n),
      );
      return provider.sdkCredentialProvider();
    }),
  );
  return {
    assumeRole: assumeRoleCount(sts),
    distinct: new Set(credentials.map(c => c.accessKeyId)).size,
  };
}

export const concurrentFirstLookups: Workload = {
  id: '2',
  title: `${LOOKUPS} concurrent first lookups of one account`,
  targets: [oneCall],
  async run(bench) {
    const rows: Row[] = [];
    for (const kind of ['declared', 'defaults'] as const) {
      progress(`2: ${LOOKUPS} concurrent first lookups, ${kind}`);
      const ours = await measure(bench, OURS, kind);
      const original = await measure(bench, ORIGINAL, kind);
      rows.push(
        compare(
          `AssumeRole, ${LOOKUPS} concurrent first lookups + sdkCredentialProvider(), ${KIND_LABEL[kind]} (distinct credentials: ours ${ours.distinct}, original ${original.distinct})`,
          oneCall,
          { ours, original },
          r => String(r.assumeRole),
          r => r.assumeRole,
        ),
      );
    }
    return rows;
  },
};
