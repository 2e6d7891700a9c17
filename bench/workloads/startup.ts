import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Impl, ORIGINAL, OURS } from '../implementations';
import { Row, fmtMb, fmtMs } from '../report';
import { median, progress, range } from '../util';
import { Bench, Workload, atMostOriginal, compare } from '../workload';

const SIZES = [1, 100, 10_000]; // accounts in aws.accounts
const RUNS = 15; // child processes per implementation and size
const ROOT = resolve(__dirname, '..', '..');

/** One child's figures: see bench/child.ts. */
type StartResult = { importMs: number; fromConfigMs: number; maxRssKb: number };

/** Runs bench/child.ts (compiled) in a fresh `node` process. */
function runChild(
  { buildDir, childEnv }: Bench,
  target: string,
  accounts: number,
): Promise<StartResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(buildDir, 'bench', 'child.js'), target, String(accounts)],
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
        reject(
          new Error(`child ${target} ${accounts} failed (${code}): ${err}`),
        );
        return;
      }
      resolvePromise(JSON.parse(last));
    });
  });
}

/**
 * 5. What a backend pays to load the package and build a manager, in fresh
 * processes, one at a time (timing), alternating who goes first. Each is
 * loaded from its built dist: ours as `npm run build` writes it, the
 * original as published.
 */
async function measure(bench: Bench) {
  const targets: Record<Impl['name'], string> = {
    ours: join(bench.root, 'dist', 'index.cjs.js'),
    original: require.resolve('@backstage/integration-aws-node'),
  };
  const results = new Map<string, StartResult[]>();
  for (const size of SIZES) {
    progress(`5: start-up in fresh processes, ${size} account(s)`);
    for (const run of range(RUNS)) {
      for (const impl of run % 2 ? [ORIGINAL, OURS] : [OURS, ORIGINAL]) {
        const key = `${impl.name}/${size}`;
        const result = await runChild(bench, targets[impl.name], size);
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
  }
  /** The median of one figure, of one size or (undefined) of all sizes. */
  return (size: number | undefined, figure: keyof StartResult) => {
    const of = (name: Impl['name']) =>
      median(
        [...results.entries()]
          .filter(([key]) =>
            size === undefined
              ? key.startsWith(`${name}/`)
              : key === `${name}/${size}`,
          )
          .flatMap(([, list]) => list.map(r => r[figure])),
      );
    return { ours: of('ours'), original: of('original') };
  };
}

export const startup: Workload = {
  id: '5',
  title: 'start-up costs in fresh processes',
  targets: [atMostOriginal],
  async run(bench) {
    const pick = await measure(bench);
    const row = (
      what: string,
      results: { ours: number; original: number },
      show: (value: number) => string,
    ) => compare(what, atMostOriginal, results, show, v => v);
    const rows: Row[] = [
      row(
        `import time (require of the built entry point; median of ${
          RUNS * SIZES.length
        } fresh processes)`,
        pick(undefined, 'importMs'),
        fmtMs,
      ),
    ];
    for (const size of SIZES) {
      rows.push(
        row(
          `\`fromConfig\` time, ${size} account(s) (median of ${RUNS})`,
          pick(size, 'fromConfigMs'),
          fmtMs,
        ),
      );
    }
    for (const size of SIZES) {
      rows.push(
        row(
          `peak RSS of the process after import + \`fromConfig\`, ${size} account(s) (median of ${RUNS})`,
          pick(size, 'maxRssKb'),
          fmtMb,
        ),
      );
    }
    return rows;
  },
};
