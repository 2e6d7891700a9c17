/*
 * `npm run bench`: this package against @backstage/integration-aws-node
 * ("the original"), side by side, against one loopback STS server that the
 * real AWS SDK talks to over HTTP. See docs/benchmarks.md.
 *
 * Runs every workload of bench/workloads/ in turn and prints the report to
 * stdout (progress to stderr). Exits with 1 if a target was missed.
 * `npm run bench -- 5 8` runs only the workloads numbered 5 and 8.
 *
 * Runs under @backstage/cli's node transform (swc), so our sources are
 * loaded as they are; fresh child processes for start-up costs load a
 * plain-JS compile of them instead (bench/compile.ts).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { compileForChildren } from './compile';
import { NumberedRow, renderReport } from './report';
import { setUpSts } from './stsSetup';
import { progress } from './util';
import { Bench, Workload } from './workload';
import { workloads } from './workloads';

const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'bench', '.build');

async function runWorkload(
  workload: Workload,
  bench: Bench,
): Promise<NumberedRow[]> {
  progress(`${workload.id}: ${workload.title}`);
  const rows = await workload.run(bench);
  const declared = new Set(workload.targets.map(t => t.text));
  for (const row of rows) {
    if (!declared.has(row.target)) {
      throw new Error(
        `workload ${workload.id}: row "${row.what}" has an undeclared target "${row.target}"`,
      );
    }
  }
  return rows.map(row => ({ id: workload.id, ...row }));
}

/** The workloads named on the command line by number, or all of them. */
function selectedWorkloads(): Workload[] {
  const ids = process.argv.slice(2);
  const unknown = ids.filter(id => !workloads.some(w => w.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `no workload numbered ${unknown.join(', ')}; the workloads are ${workloads
        .map(w => w.id)
        .join(', ')}`,
    );
  }
  return ids.length ? workloads.filter(w => ids.includes(w.id)) : workloads;
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const selected = selectedWorkloads();
  progress('compiling src/ to bench/.build for the in-process workloads');
  compileForChildren(ROOT, BUILD);
  // Start-up is measured on what ships, as the original's is: the package
  // as `npm run build` writes it to dist/.
  progress('building the package (npm run build) for the start-up workload');
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const { sts, childEnv, stop } = await setUpSts();
  const bench: Bench = { sts, childEnv, buildDir: BUILD, root: ROOT };
  const rows: NumberedRow[] = [];
  try {
    for (const workload of selected) {
      rows.push(...(await runWorkload(workload, bench)));
    }
  } finally {
    await stop();
  }

  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(renderReport(rows, seconds));
  return rows.every(row => row.met !== false);
}

main().then(
  allMet => process.exit(allMet ? 0 : 1),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
