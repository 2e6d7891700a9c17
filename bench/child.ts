/*
 * One start-up measurement in a fresh process (bench/workloads/startup.ts).
 * Not run through any transpile hook: the parent hands it a plain CommonJS
 * entry point (our sources compiled to bench/.build, or the original's dist).
 *
 *   node bench/.build/bench/child.js <module to require> <number of accounts>
 *
 * Prints one JSON line: import time, fromConfig time, peak RSS.
 */
import { performance } from 'node:perf_hooks';

function main() {
  const [target, count] = process.argv.slice(2);
  const accounts = Number(count);

  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(target);
  const importMs = performance.now() - t0;

  // Loaded after the import is timed: the original does not load it itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConfigReader } = require('@backstage/config');
  const config = new ConfigReader({
    aws: {
      mainAccount: {
        accessKeyId: 'AKIAMAINACCOUNT00001',
        secretAccessKey: 'main-secret-access-key-0000000000000000',
      },
      accounts: Array.from({ length: accounts }, (_, i) => ({
        accountId: String(500_000_000_000 + i),
        roleName: 'bench-role',
      })),
    },
  });

  const t1 = performance.now();
  const manager = pkg.DefaultAwsCredentialsManager.fromConfig(config);
  const fromConfigMs = performance.now() - t1;

  const result = {
    importMs,
    fromConfigMs,
    // Kilobytes on Linux; the manager is still reachable here.
    maxRssKb: process.resourceUsage().maxRSS,
    ok: typeof manager.getCredentialProvider === 'function',
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
