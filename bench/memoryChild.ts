/*
 * One memory measurement in a fresh process (bench/workloads/memory.ts),
 * run with --expose-gc. Like child.ts, it is given a plain CommonJS entry
 * point: our dist/ as `npm run build` writes it, or the original's dist.
 *
 *   node --expose-gc bench/.build/bench/memoryChild.js <module> <scenario as JSON>
 *
 * Prints one JSON line: the heap the lookups left behind, in bytes, after
 * full garbage collections, with the managers still reachable.
 */
/** What to measure; see MemoryScenario in bench/workloads/memory.ts. */
type MemoryScenario = {
  aws: Record<string, unknown>;
  plugins: number;
  accounts: number;
  firstId: number;
};

const WARM_UP = 100;

type Lookup = (opts: { accountId: string }) => Promise<unknown>;

function heapUsed(): number {
  globalThis.gc!();
  globalThis.gc!();
  return process.memoryUsage().heapUsed;
}

/** The lookup of each plugin: our service's views, or a manager each. */
async function lookupsOf(
  target: string,
  scenario: MemoryScenario,
): Promise<Lookup[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pkg = require(target);
  const { ConfigReader } = require('@backstage/config');
  const data = { aws: scenario.aws };
  if (scenario.plugins === 1) {
    const manager = pkg.DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(data),
    );
    return [opts => manager.getCredentialProvider(opts)];
  }
  const pluginIds = Array.from(
    { length: scenario.plugins },
    (_, i) => `plugin${i}`,
  );
  if (!pkg.awsCredentialsServiceFactory) {
    // The original has no service: a plugin builds its own manager.
    return pluginIds.map(() => {
      const manager = pkg.DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(data),
      );
      return opts => manager.getCredentialProvider(opts);
    });
  }
  const {
    ServiceFactoryTester,
    mockServices,
  } = require('@backstage/backend-test-utils');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const tester = ServiceFactoryTester.from(pkg.awsCredentialsServiceFactory, {
    dependencies: [mockServices.rootConfig.factory({ data })],
  });
  const lookups: Lookup[] = [];
  for (const pluginId of pluginIds) {
    const view = await tester.getSubject(pluginId);
    lookups.push(opts => view.getCredentialProvider(opts));
  }
  return lookups;
}

async function main() {
  const [target, json] = process.argv.slice(2);
  if (!globalThis.gc || !json) {
    throw new Error(
      'usage: node --expose-gc memoryChild.js <module> <scenario as JSON>',
    );
  }
  const scenario: MemoryScenario = JSON.parse(json);
  const lookups = await lookupsOf(target, scenario);
  const ignore = () => undefined;
  // Warm up (code, lazy state, the original's GetCallerIdentity) with a
  // few IDs outside the measured ones: few, so that they do not fill the
  // bounded list of held accounts before the measurement starts.
  for (let i = 0; i < WARM_UP; i++) {
    await lookups[0]({ accountId: String(scenario.firstId - 1 - i) }).catch(
      ignore,
    );
  }
  const before = heapUsed();
  const failures = new Set<string>();
  for (const lookup of lookups) {
    for (let i = 0; i < scenario.accounts; i++) {
      await lookup({ accountId: String(scenario.firstId + i) }).catch(
        (error: Error) => failures.add(error.message.slice(0, 40)),
      );
    }
  }
  const keptBytes = heapUsed() - before;
  process.stdout.write(
    `${JSON.stringify({
      keptBytes,
      failed: failures.size > 0,
      alive: lookups.length,
    })}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
