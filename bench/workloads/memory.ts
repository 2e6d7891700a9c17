import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { MAIN } from '../../loopbackSts';
import { Impl, ORIGINAL, OURS } from '../implementations';
import { Row } from '../report';
import { resetSts } from '../stsSetup';
import { progress } from '../util';
import { Bench, Target, Workload, atMostOriginal, compare } from '../workload';

const ROOT = resolve(__dirname, '..', '..');

/** One scenario, run in a fresh process by bench/memoryChild.ts. */
type MemoryScenario = {
  /** The `aws` block, the same for both (the original ignores what it does not know). */
  aws: Record<string, unknown>;
  /** How many plugins look the accounts up: 1 is one manager. */
  plugins: number;
  /** Distinct account IDs each plugin looks up, by ID. */
  accounts: number;
  /** The first of them; the warm-up uses the 100 IDs below it. */
  firstId: number;
};

const mainAccount = {
  accessKeyId: MAIN.accessKeyId,
  secretAccessKey: MAIN.secretAccessKey,
  // Ours then knows the main account without STS; the original asks once.
  accountId: MAIN.accountId,
};
const accountDefaults = { roleName: 'bench-role' };
const ACCOUNTS = 100_000;
const UNCONFIGURED = 1_000_000;
const PLUGINS = 20;
const PER_PLUGIN = 5_000;

/** Ours keeps (next to) nothing: under 1 byte per lookup. */
const underOneBytePerLookup: Target<number> = {
  text: '< 1 B per lookup (≈ 0)',
  met: ours => ours < UNCONFIGURED,
};

/** Runs bench/memoryChild.ts (compiled) in a fresh `node --expose-gc`. */
function runChild(
  { buildDir, childEnv }: Bench,
  target: string,
  scenario: MemoryScenario,
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        join(buildDir, 'bench', 'memoryChild.js'),
        target,
        JSON.stringify(scenario),
      ],
      { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('error', reject);
    child.on('close', code => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`memory child ${target} failed (${code}): ${err}`));
        return;
      }
      resolvePromise(JSON.parse(last).keptBytes);
    });
  });
}

/**
 * Both packages' figures for one scenario, each in its own process, the
 * two side by side (heap sizes do not depend on what else runs).
 */
async function keptBytes(bench: Bench, scenario: MemoryScenario) {
  const targets: Record<Impl['name'], string> = {
    ours: join(bench.root, 'dist', 'index.cjs.js'),
    original: require.resolve('@backstage/integration-aws-node'),
  };
  const [ours, original] = await Promise.all(
    [OURS, ORIGINAL].map(impl => runChild(bench, targets[impl.name], scenario)),
  );
  return { ours, original };
}

const fmtBytes = (bytes: number) => `${bytes.toFixed(0)} B`;
const fmtMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/**
 * 8. The heap that lookups of account IDs a caller chooses leave behind
 * (a route such as `/api/buckets/:accountId`), in fresh processes after
 * full garbage collections: accounts reached through `accountDefaults`,
 * all of them held and with the default bound, over 20 plugins, and IDs
 * that no config serves. Both packages from their built dist/.
 */
export const memory: Workload = {
  id: '8',
  title: 'heap kept by lookups of caller-chosen account IDs',
  targets: [atMostOriginal, underOneBytePerLookup],
  async run(bench) {
    resetSts(bench.sts);
    const rows: Row[] = [];
    const perAccount = (r: { ours: number; original: number }) => ({
      ours: r.ours / ACCOUNTS,
      original: r.original / ACCOUNTS,
    });

    progress(`8: heap per accountDefaults account, ${ACCOUNTS} held`);
    const held = await keptBytes(bench, {
      aws: {
        mainAccount,
        accountDefaults,
        cache: { maxDefaultAccounts: ACCOUNTS },
      },
      plugins: 1,
      accounts: ACCOUNTS,
      firstId: 500_000_000_000,
    });
    rows.push(
      compare(
        `heap kept per account reached through accountDefaults, ${ACCOUNTS} distinct accounts looked up by ID, every one held (ours: aws.cache.maxDefaultAccounts: ${ACCOUNTS})`,
        atMostOriginal,
        perAccount(held),
        fmtBytes,
        v => v,
      ),
    );

    progress(
      `8: heap after ${ACCOUNTS} accountDefaults accounts, default bound`,
    );
    const bounded = await keptBytes(bench, {
      aws: { mainAccount, accountDefaults },
      plugins: 1,
      accounts: ACCOUNTS,
      firstId: 500_000_000_000,
    });
    rows.push(
      compare(
        `heap kept after ${ACCOUNTS} distinct accounts through accountDefaults, looked up by ID (ours: the default bound, 10000 held)`,
        atMostOriginal,
        bounded,
        fmtMiB,
        v => v,
      ),
    );

    progress(`8: heap after ${PLUGINS} plugins × ${PER_PLUGIN} accounts`);
    const plugins = await keptBytes(bench, {
      aws: { mainAccount, accountDefaults },
      plugins: PLUGINS,
      accounts: PER_PLUGIN,
      firstId: 500_000_000_000,
    });
    rows.push(
      compare(
        `heap kept after ${PLUGINS} plugins × ${PER_PLUGIN} accounts through accountDefaults, the same ones (ours: each plugin's view of the service, 10000 held per backend; original: a manager per plugin)`,
        atMostOriginal,
        plugins,
        fmtMiB,
        v => v,
      ),
    );

    progress(`8: heap after ${UNCONFIGURED} lookups of unconfigured IDs`);
    const unconfigured = await keptBytes(bench, {
      aws: { mainAccount },
      plugins: 1,
      accounts: UNCONFIGURED,
      firstId: 600_000_000_000,
    });
    rows.push(
      compare(
        `heap kept after ${UNCONFIGURED} lookups of distinct account IDs no config serves (each a NotFoundError)`,
        underOneBytePerLookup,
        unconfigured,
        fmtMiB,
      ),
    );
    return rows;
  },
};
