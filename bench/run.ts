/*
 * `npm run bench`: this package against @backstage/integration-aws-node
 * ("the original"), side by side, against one loopback STS server that the
 * real AWS SDK talks to over HTTP. See docs/benchmarks.md.
 *
 * Runs under @backstage/cli's node transform (swc), so our sources are
 * loaded as they are; fresh child processes for start-up costs load a
 * plain-JS compile of them instead (bench/compile.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager as OriginalManager } from '@backstage/integration-aws-node';
import { DefaultAwsCredentialsManager as OurManager } from '../src';
import { StsTestServer } from '../src/__testUtils__/StsTestServer';
import { MAIN } from '../src/__testUtils__/awsTestEnv';
import { compileForChildren } from './compile';
import {
  Row,
  accountIdOf,
  fmtMb,
  fmtMs,
  fmtRate,
  machineInfo,
  median,
  progress,
  range,
  ratio,
  renderTable,
  sleep,
} from './util';

// ---------------------------------------------------------------- settings

const K = 10; // accounts (scenario 1)
const M = 20; // new clients per account (scenario 1)
const CONCURRENT_LOOKUPS = 200; // scenario 2
const LONG_LIVED_CALLS = 20; // scenario 3
const LOOKUP_RUNS = 7; // scenario 4: runs per implementation and kind
const LOOKUP_RUN_MS = 250; // scenario 4: minimum length of one run
const ARNS_PER_ACCOUNT = 10; // scenario 4: distinct ARNs per account
const START_SIZES = [1, 100, 10_000]; // scenario 5: accounts
const START_RUNS = 15; // scenario 5: child processes per implementation and size
const LIFETIME_S = 4; // scenario 6: credential lifetime the STS server issues
const EXPIRY_RUN_MS = 10_000; // scenario 6: how long the calls go on
const EXPIRY_PAUSE_MS = 50; // scenario 6: pause between one caller's calls

const REGION = 'us-east-1';
const ROLE = 'bench-role';
const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'bench', '.build');

// ------------------------------------------------------- the two managers

type LookupOptions = { accountId?: string; arn?: string };
interface Manager {
  getCredentialProvider(
    opts?: LookupOptions,
  ): Promise<{ sdkCredentialProvider: AwsCredentialIdentityProvider }>;
}
type Impl = {
  name: 'ours' | 'original';
  /** A fresh manager from the contents of the `aws` config block. */
  make(aws: Record<string, unknown>): Manager;
};

const OURS: Impl = {
  name: 'ours',
  make: aws => OurManager.fromConfig(new ConfigReader({ aws } as any)),
};
const ORIGINAL: Impl = {
  name: 'original',
  make: aws => OriginalManager.fromConfig(new ConfigReader({ aws } as any)),
};
const IMPLS = [OURS, ORIGINAL];

const mainAccount = {
  accessKeyId: MAIN.accessKeyId,
  secretAccessKey: MAIN.secretAccessKey,
};

function declaredConfig(accountIds: string[]) {
  return {
    mainAccount,
    accounts: accountIds.map(accountId => ({ accountId, roleName: ROLE })),
  };
}

function defaultsConfig() {
  return { mainAccount, accountDefaults: { roleName: ROLE } };
}

function arnOf(accountId: string, n: number): string {
  return `arn:aws:sqs:${REGION}:${accountId}:queue-${n}`;
}

type ClientStyle = 'credentials' | 'credentialDefaultProvider';

function newClient(
  style: ClientStyle,
  provider: AwsCredentialIdentityProvider,
): STSClient {
  return style === 'credentials'
    ? new STSClient({ region: REGION, credentials: provider })
    : new STSClient({
        region: REGION,
        credentialDefaultProvider: () => provider,
      });
}

/** One signed call; checks that STS saw the expected account. */
async function whoAmI(client: STSClient, accountId: string): Promise<void> {
  const { Account } = await client.send(new GetCallerIdentityCommand({}));
  if (Account !== accountId) {
    throw new Error(`expected account ${accountId}, STS saw ${Account}`);
  }
}

// --------------------------------------------------------- the STS server

let sts: StsTestServer;
let envDir: string;

/** The environment of src/__testUtils__/awsTestEnv.ts, for a whole process. */
function awsEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('AWS_') && key !== 'NODE_OPTIONS') {
      env[key] = value;
    }
  }
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.AWS_CONFIG_FILE = join(envDir, 'config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(envDir, 'credentials');
  env.AWS_ENDPOINT_URL_STS = sts.url;
  return env;
}

function resetSts(lifetimeSeconds = 3600) {
  sts.reset();
  sts.credentialLifetimeSeconds = lifetimeSeconds;
  sts.delayMs = 0;
  sts.addUser(MAIN.accessKeyId, MAIN.secretAccessKey, {
    account: MAIN.accountId,
    arn: MAIN.arn,
  });
}

function assumeRoleCount(accountId?: string): number {
  return sts
    .callsOf('AssumeRole')
    .filter(c => !accountId || c.params.RoleArn?.includes(`::${accountId}:`))
    .length;
}

// ------------------------------------------------------------- scenario 1

type AccountKind = 'declared' | 'defaults';

async function newClientsPerAccount(
  impl: Impl,
  kind: AccountKind,
  style: ClientStyle,
): Promise<number> {
  resetSts();
  const accountIds = range(K).map(i =>
    accountIdOf(kind === 'declared' ? 201 : 301, i),
  );
  const manager = impl.make(
    kind === 'declared' ? declaredConfig(accountIds) : defaultsConfig(),
  );
  // Accounts side by side; each account's M clients one after another.
  await Promise.all(
    accountIds.map(async accountId => {
      for (const m of range(M)) {
        const provider = await manager.getCredentialProvider(
          kind === 'declared' ? { accountId } : { arn: arnOf(accountId, m) },
        );
        const client = newClient(style, provider.sdkCredentialProvider);
        try {
          await whoAmI(client, accountId);
        } finally {
          client.destroy();
        }
      }
    }),
  );
  const calls = sts.callsOf('GetCallerIdentity').length;
  if (calls !== K * M) {
    throw new Error(`expected ${K * M} GetCallerIdentity calls, saw ${calls}`);
  }
  return assumeRoleCount();
}

async function scenario1(rows: Row[]) {
  for (const kind of ['declared', 'defaults'] as const) {
    for (const style of ['credentials', 'credentialDefaultProvider'] as const) {
      progress(`1: ${kind} accounts, ${style}`);
      const ours = await newClientsPerAccount(OURS, kind, style);
      const original = await newClientsPerAccount(ORIGINAL, kind, style);
      rows.push({
        id: '1',
        what: `AssumeRole, ${K} accounts × ${M} new clients, ${
          kind === 'declared' ? 'aws.accounts by ID' : 'accountDefaults by ARN'
        }, \`${style}:\``,
        ours: String(ours),
        original: String(original),
        ratio: ratio(ours, original),
        target: `= ${K}`,
        met: ours === K,
      });
    }
  }
}

// ------------------------------------------------------------- scenario 2

async function concurrentFirstLookups(
  impl: Impl,
  kind: AccountKind,
): Promise<{ assumeRole: number; distinct: number }> {
  resetSts();
  const accountId = accountIdOf(kind === 'declared' ? 202 : 302, 0);
  const manager = impl.make(
    kind === 'declared' ? declaredConfig([accountId]) : defaultsConfig(),
  );
  const credentials = await Promise.all(
    range(CONCURRENT_LOOKUPS).map(async n => {
      const provider = await manager.getCredentialProvider(
        kind === 'declared' ? { accountId } : { arn: arnOf(accountId, n) },
      );
      return provider.sdkCredentialProvider();
    }),
  );
  return {
    assumeRole: assumeRoleCount(),
    distinct: new Set(credentials.map(c => c.accessKeyId)).size,
  };
}

async function scenario2(rows: Row[]) {
  for (const kind of ['declared', 'defaults'] as const) {
    progress(`2: ${CONCURRENT_LOOKUPS} concurrent first lookups, ${kind}`);
    const ours = await concurrentFirstLookups(OURS, kind);
    const original = await concurrentFirstLookups(ORIGINAL, kind);
    rows.push({
      id: '2',
      what: `AssumeRole, ${CONCURRENT_LOOKUPS} concurrent first lookups + sdkCredentialProvider(), ${
        kind === 'declared' ? 'aws.accounts by ID' : 'accountDefaults by ARN'
      } (distinct credentials: ours ${ours.distinct}, original ${
        original.distinct
      })`,
      ours: String(ours.assumeRole),
      original: String(original.assumeRole),
      ratio: ratio(ours.assumeRole, original.assumeRole),
      target: '= 1',
      met: ours.assumeRole === 1 && ours.distinct === 1,
    });
  }
}

// ------------------------------------------------------------- scenario 3

async function longLivedClient(impl: Impl, style: ClientStyle) {
  resetSts();
  const accountId = accountIdOf(203, 0);
  const manager = impl.make(declaredConfig([accountId]));
  const provider = await manager.getCredentialProvider({ accountId });
  const client = newClient(style, provider.sdkCredentialProvider);
  try {
    for (const _ of range(LONG_LIVED_CALLS)) {
      await whoAmI(client, accountId);
    }
  } finally {
    client.destroy();
  }
  return assumeRoleCount();
}

async function scenario3(rows: Row[]) {
  const styles: Array<[ClientStyle, string]> = [
    ['credentialDefaultProvider', 'README style `credentialDefaultProvider:`'],
    ['credentials', '`credentials:` (for reference)'],
  ];
  for (const [style, label] of styles) {
    progress(`3: one long-lived client, ${style}`);
    const ours = await longLivedClient(OURS, style);
    const original = await longLivedClient(ORIGINAL, style);
    rows.push({
      id: '3',
      what: `AssumeRole, one long-lived client × ${LONG_LIVED_CALLS} calls, ${label}`,
      ours: String(ours),
      original: String(original),
      ratio: ratio(ours, original),
      target: '= 1',
      met: ours === 1,
    });
  }
}

// ------------------------------------------------------------- scenario 4

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
  } while (elapsedNs < BigInt(LOOKUP_RUN_MS) * 1_000_000n);
  return done / (Number(elapsedNs) / 1e9);
}

async function scenario4(rows: Row[]) {
  progress('4: warm lookups');
  const accountIds = range(K).map(i => accountIdOf(204, i));
  const byKind: Array<[string, LookupOptions[]]> = [
    ['account ID', accountIds.map(accountId => ({ accountId }))],
    [
      'ARN',
      accountIds.flatMap(accountId =>
        range(ARNS_PER_ACCOUNT).map(n => ({ arn: arnOf(accountId, n) })),
      ),
    ],
  ];
  for (const [label, lookups] of byKind) {
    const managers = IMPLS.map(impl => impl.make(declaredConfig(accountIds)));
    const rates: number[][] = [[], []];
    for (const i of [0, 1]) {
      // Warm up: every provider created, every ARN seen, code optimised.
      for (const _ of range(200)) {
        for (const opts of lookups) {
          await managers[i].getCredentialProvider(opts);
        }
      }
    }
    for (const run of range(LOOKUP_RUNS)) {
      // Alternate who goes first, so that drift hits both alike.
      for (const i of run % 2 ? [1, 0] : [0, 1]) {
        rates[i].push(await lookupsPerSecond(managers[i], lookups));
      }
    }
    const [ours, original] = rates.map(median);
    rows.push({
      id: '4',
      what: `warm lookups per second by ${label} (${lookups.length} distinct, median of ${LOOKUP_RUNS})`,
      ours: fmtRate(ours),
      original: fmtRate(original),
      ratio: ratio(ours, original),
      target: '≥ original',
      met: ours >= original,
    });
  }
}

// ------------------------------------------------------------- scenario 5

type StartResult = { importMs: number; fromConfigMs: number; maxRssKb: number };

function runChild(target: string, accounts: number): Promise<StartResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(BUILD, 'bench', 'child.js'), target, String(accounts)],
      {
        cwd: ROOT,
        env: awsEnv(process.env),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
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

async function scenario5(rows: Row[]) {
  const targets: Record<Impl['name'], string> = {
    ours: join(BUILD, 'src', 'index.js'),
    original: require.resolve('@backstage/integration-aws-node'),
  };
  const results = new Map<string, StartResult[]>();
  for (const size of START_SIZES) {
    progress(`5: start-up in fresh processes, ${size} account(s)`);
    for (const run of range(START_RUNS)) {
      // One process at a time (timing), alternating who goes first.
      for (const impl of run % 2 ? [ORIGINAL, OURS] : [OURS, ORIGINAL]) {
        const key = `${impl.name}/${size}`;
        const result = await runChild(targets[impl.name], size);
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
  }
  const pick = (name: string, size: number | undefined, f: keyof StartResult) =>
    median(
      [...results.entries()]
        .filter(([key]) =>
          size === undefined
            ? key.startsWith(`${name}/`)
            : key === `${name}/${size}`,
        )
        .flatMap(([, list]) => list.map(r => r[f])),
    );

  // Start-up costs: lower is better, the target is the original's figure.
  const atMostOriginal = (
    what: string,
    ours: number,
    original: number,
    fmt: (v: number) => string,
  ) =>
    rows.push({
      id: '5',
      what,
      ours: fmt(ours),
      original: fmt(original),
      ratio: ratio(ours, original),
      target: '≤ original',
      met: ours <= original,
    });

  atMostOriginal(
    `import time (require of the built entry point; median of ${
      START_RUNS * START_SIZES.length
    } fresh processes)`,
    pick('ours', undefined, 'importMs'),
    pick('original', undefined, 'importMs'),
    fmtMs,
  );
  for (const size of START_SIZES) {
    atMostOriginal(
      `\`fromConfig\` time, ${size} account(s) (median of ${START_RUNS})`,
      pick('ours', size, 'fromConfigMs'),
      pick('original', size, 'fromConfigMs'),
      fmtMs,
    );
  }
  for (const size of START_SIZES) {
    atMostOriginal(
      `peak RSS of the process after import + \`fromConfig\`, ${size} account(s) (median of ${START_RUNS})`,
      pick('ours', size, 'maxRssKb'),
      pick('original', size, 'maxRssKb'),
      fmtMb,
    );
  }
}

// ------------------------------------------------------------- scenario 6

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

async function expiringCredentials(
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

  const deadline = Date.now() + EXPIRY_RUN_MS;
  const loop = async (call: () => Promise<unknown>) => {
    while (Date.now() < deadline) {
      try {
        await call();
        stats.calls += 1;
      } catch (error) {
        stats.failures += 1;
        stats.firstFailure ??= String(error);
      }
      await sleep(EXPIRY_PAUSE_MS);
    }
  };

  // Three callers side by side: a long-lived README-style client, a
  // long-lived `credentials:` client, and plain lookup + provider calls.
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
  stats.assumeRole = assumeRoleCount(accountId);
  stats.distinct = seen.size;
  return stats;
}

async function scenario6(rows: Row[]) {
  progress(
    `6: credentials living ${LIFETIME_S} s, ${
      EXPIRY_RUN_MS / 1000
    } s of calls (both side by side)`,
  );
  resetSts(LIFETIME_S);
  // Different accounts, so that AssumeRole calls can be told apart.
  const [ours, original] = await Promise.all([
    expiringCredentials(OURS, accountIdOf(206, 1)),
    expiringCredentials(ORIGINAL, accountIdOf(206, 2)),
  ]);
  resetSts();

  const ok = (s: ExpiryStats) =>
    s.failures === 0 &&
    s.expiredHandouts === 0 &&
    s.minLeftMs > 0 &&
    s.distinct > 1 &&
    s.minLeftAtSwitchMs > 0;
  const push = (
    what: string,
    show: (s: ExpiryStats) => string,
    target: string,
    met?: boolean,
    ratioOf?: (s: ExpiryStats) => number,
  ) =>
    rows.push({
      id: '6',
      what,
      ours: show(ours),
      original: show(original),
      ratio: ratioOf ? ratio(ratioOf(ours), ratioOf(original)) : '–',
      target,
      met,
    });
  const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '–');

  push(
    `AssumeRole over ${
      EXPIRY_RUN_MS / 1000
    } s, credentials living ${LIFETIME_S} s`,
    s => String(s.assumeRole),
    'report (≈ one per half lifetime)',
    undefined,
    s => s.assumeRole,
  );
  push(
    'calls that failed / all calls (2 clients + direct provider calls)',
    s => `${s.failures} / ${s.calls + s.failures}`,
    '0 failed',
    ours.failures === 0,
  );
  push(
    'hand-outs of expired credentials / all hand-outs',
    s => `${s.expiredHandouts} / ${s.handouts}`,
    '0 expired',
    ours.expiredHandouts === 0,
  );
  push(
    'distinct credentials handed out',
    s => String(s.distinct),
    '> 1 (refreshed)',
    ours.distinct > 1,
  );
  push(
    'least validity left at a hand-out',
    s => ms(s.minLeftMs),
    '> 0',
    ours.minLeftMs > 0,
  );
  push(
    'least validity left on the replaced credentials when new ones first went out',
    s => ms(s.minLeftAtSwitchMs),
    '> 0 (refresh ahead of expiry)',
    ours.distinct > 1 && ours.minLeftAtSwitchMs > 0,
  );
  if (!ok(ours) && ours.firstFailure) {
    progress(`6: first failure (ours): ${ours.firstFailure}`);
  }
  if (original.firstFailure) {
    progress(`6: first failure (original): ${original.firstFailure}`);
  }
}

// ------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  progress('compiling src/ to bench/.build for the child processes');
  compileForChildren(ROOT, BUILD);

  sts = await StsTestServer.start();
  envDir = mkdtempSync(join(tmpdir(), 'aws-bench-'));
  const env = awsEnv(process.env);
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_')) {
      delete process.env[key];
    }
  }
  Object.assign(process.env, env);

  const rows: Row[] = [];
  try {
    await scenario1(rows);
    await scenario2(rows);
    await scenario3(rows);
    await scenario4(rows);
    await scenario5(rows);
    await scenario6(rows);
  } finally {
    await sts.stop();
    rmSync(envDir, { recursive: true, force: true });
  }

  const seconds = (Date.now() - started) / 1000;
  const missed = rows.filter(r => r.met === false);
  const lines = [
    `# backstage-aws-credentials (ours) vs @backstage/integration-aws-node (original)`,
    '',
    ...machineInfo().map(l => `- ${l}`),
    `- date: ${new Date().toISOString()}`,
    '',
    renderTable(rows),
    '',
    `Counts are exact. Rates and times are medians; ratios are ours ÷ original from this run.`,
    `Targets missed: ${
      missed.length ? missed.map(r => `${r.id} (${r.what})`).join('; ') : 'none'
    }`,
    `Total runtime: ${seconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
