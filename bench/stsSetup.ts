import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopbackSts, MAIN } from '../loopbackSts';

/**
 * The environment the tests run in (`useAwsTestEnv()`), for a whole
 * process: no `AWS_*` variable from outside, no metadata service, shared
 * config files in an empty folder, STS at the loopback server.
 */
function awsEnv(
  base: NodeJS.ProcessEnv,
  envDir: string,
  stsUrl: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('AWS_') && key !== 'NODE_OPTIONS') {
      env[key] = value;
    }
  }
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.AWS_CONFIG_FILE = join(envDir, 'config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(envDir, 'credentials');
  env.AWS_ENDPOINT_URL_STS = stsUrl;
  return env;
}

/**
 * Starts the loopback STS server and points this process at it. Returns the
 * server, the same environment for child processes, and `stop()`.
 */
export async function setUpSts(): Promise<{
  sts: LoopbackSts;
  childEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}> {
  const sts = await LoopbackSts.start();
  const envDir = mkdtempSync(join(tmpdir(), 'aws-bench-'));
  const childEnv = awsEnv(process.env, envDir, sts.url);
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_')) {
      delete process.env[key];
    }
  }
  Object.assign(process.env, childEnv);
  return {
    sts,
    childEnv,
    async stop() {
      await sts.stop();
      rmSync(envDir, { recursive: true, force: true });
    },
  };
}

/**
 * Forgets the calls seen so far; the server issues credentials living
 * `lifetimeSeconds` and knows the main account's static keys.
 */
export function resetSts(sts: LoopbackSts, lifetimeSeconds = 3600): void {
  sts.reset();
  sts.credentialLifetimeSeconds = lifetimeSeconds;
  sts.delayMs = 0;
  sts.addUser(MAIN.accessKeyId, MAIN.secretAccessKey, {
    account: MAIN.accountId,
    arn: MAIN.arn,
  });
}

/** AssumeRole calls since the last reset, of one account or of all. */
export function assumeRoleCount(sts: LoopbackSts, accountId?: string): number {
  return sts
    .callsOf('AssumeRole')
    .filter(c => !accountId || c.params.RoleArn?.includes(`::${accountId}:`))
    .length;
}
