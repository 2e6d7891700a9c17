import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { newClient, whoAmI } from '../clients';
import { Impl, ORIGINAL, OURS, declaredConfig } from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { accountIdOf, progress, sleep } from '../util';
import { Bench, Target, Workload, compare } from '../workload';

const LIFETIME_S = 4; // credential lifetime the STS server issues
const RUN_MS = 10_000; // how long the calls go on
const PAUSE_MS = 50; // pause between one caller's calls

type ExpiryStats = {
  assumeRole: number;
  calls: number;
  failures: number;
  firstFailure?: string;
  handouts: number;
  expiredHandouts: number;
  /** Least validity left on credentials at the moment they were handed out. */
  minLeftMs: number;
  /** Distinct credentials handed out. */
  distinct: number;
  /**
   * Least validity the replaced credentials still had when other ones were
   * first handed out: > 0 means every refresh happened ahead of expiry.
   */
  minLeftAtSwitchMs: number;
};

const onlyReported: Target<ExpiryStats> = {
  text: 'report (≈ one per half lifetime)',
  met: () => undefined,
};
const noFailure: Target<ExpiryStats> = {
  text: '0 failed',
  met: ours => ours.failures === 0,
};
const noExpired: Target<ExpiryStats> = {
  text: '0 expired',
  met: ours => ours.expiredHandouts === 0,
};
const refreshed: Target<ExpiryStats> = {
  text: '> 1 (refreshed)',
  met: ours => ours.distinct > 1,
};
const validAtHandout: Target<ExpiryStats> = {
  text: '> 0',
  met: ours => ours.minLeftMs > 0,
};
const refreshedAhead: Target<ExpiryStats> = {
  text: '> 0 (refresh ahead of expiry)',
  met: ours => ours.distinct > 1 && ours.minLeftAtSwitchMs > 0,
};

/**
 * 6. Three callers side by side for RUN_MS, each pausing between calls: a
 * long-lived README-style client, a long-lived `credentials:` client, and
 * plain lookup + provider calls. Every hand-out of credentials is inspected.
 */
async function measure(
  { sts }: Bench,
  impl: Impl,
  accountId: string,
): Promise<ExpiryStats> {
  const manager = impl.make(declaredConfig([accountId]));
  const stats: ExpiryStats = {
    assumeRole: 0,
    calls: 0,
    failures: 0,
    handouts: 0,
    expiredHandouts: 0,
    minLeftMs: Infinity,
    distinct: 0,
    minLeftAtSwitchMs: Infinity,
  };
  const seen = new Set<string>();
  let current: AwsCredentialIdentity | undefined;

  function inspect(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
    const now = Date.now();
    const left = (credentials.expiration?.getTime() ?? Infinity) - now;
    stats.handouts += 1;
    stats.minLeftMs = Math.min(stats.minLeftMs, left);
    if (left <= 0) {
      stats.expiredHandouts += 1;
    }
    if (!seen.has(credentials.accessKeyId)) {
      seen.add(credentials.accessKeyId);
      if (current?.expiration) {
        stats.minLeftAtSwitchMs = Math.min(
          stats.minLeftAtSwitchMs,
          current.expiration.getTime() - now,
        );
      }
      current = credentials;
    }
    return credentials;
  }

  /** The provider as a caller gets it, with every hand-out inspected. */
  const watched = async (): Promise<AwsCredentialIdentityProvider> => {
    const { sdkCredentialProvider } = await manager.getCredentialProvider({
      accountId,
    });
    return async () => inspect(await sdkCredentialProvider());
  };

  const deadline = Date.now() + RUN_MS;
  const loop = async (call: () => Promise<unknown>) => {
    while (Date.now() < deadline) {
      try {
        await call();
        stats.calls += 1;
      } catch (error) {
        stats.failures += 1;
        stats.firstFailure ??= String(error);
      }
      await sleep(PAUSE_MS);
    }
  };

  const readme = newClient('credentialDefaultProvider', await watched());
  const direct = newClient('credentials', await watched());
  try {
    await Promise.all([
      loop(() => whoAmI(readme, accountId)),
      loop(() => whoAmI(direct, accountId)),
      loop(async () => (await watched())()),
    ]);
  } finally {
    readme.destroy();
    direct.destroy();
  }
  stats.assumeRole = assumeRoleCount(sts, accountId);
  stats.distinct = seen.size;
  return stats;
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '–');

export const expiringCredentials: Workload = {
  id: '6',
  title: `credentials living ${LIFETIME_S} s, ${
    RUN_MS / 1000
  } s of calls (both side by side)`,
  targets: [
    onlyReported,
    noFailure,
    noExpired,
    refreshed,
    validAtHandout,
    refreshedAhead,
  ],
  async run(bench) {
    resetSts(bench.sts, LIFETIME_S);
    // Different accounts, so that AssumeRole calls can be told apart.
    const [ours, original] = await Promise.all([
      measure(bench, OURS, accountIdOf(206, 1)),
      measure(bench, ORIGINAL, accountIdOf(206, 2)),
    ]);
    resetSts(bench.sts);

    const results = { ours, original };
    const rows: Row[] = [
      compare(
        `AssumeRole over ${
          RUN_MS / 1000
        } s, credentials living ${LIFETIME_S} s`,
        onlyReported,
        results,
        s => String(s.assumeRole),
        s => s.assumeRole,
      ),
      compare(
        'calls that failed / all calls (2 clients + direct provider calls)',
        noFailure,
        results,
        s => `${s.failures} / ${s.calls + s.failures}`,
      ),
      compare(
        'hand-outs of expired credentials / all hand-outs',
        noExpired,
        results,
        s => `${s.expiredHandouts} / ${s.handouts}`,
      ),
      compare('distinct credentials handed out', refreshed, results, s =>
        String(s.distinct),
      ),
      compare('least validity left at a hand-out', validAtHandout, results, s =>
        ms(s.minLeftMs),
      ),
      compare(
        'least validity left on the replaced credentials when new ones first went out',
        refreshedAhead,
        results,
        s => ms(s.minLeftAtSwitchMs),
      ),
    ];
    if (rows.some(r => r.met === false) && ours.firstFailure) {
      progress(`6: first failure (ours): ${ours.firstFailure}`);
    }
    if (original.firstFailure) {
      progress(`6: first failure (original): ${original.firstFailure}`);
    }
    return rows;
  },
};
