import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LoopbackSts,
  LoopbackStsOptions,
  MAIN,
  OTHER,
} from '../../loopbackSts';

export { MAIN, OTHER } from '../../loopbackSts';

/** The main account's key pair, as an `aws.mainAccount` block holds it. */
export const MAIN_KEYS = {
  accessKeyId: MAIN.accessKeyId,
  secretAccessKey: MAIN.secretAccessKey,
};

/**
 * Gives each test an environment in which the AWS SDK can only reach the
 * loopback STS: every AWS_* variable cleared, instance metadata off, shared
 * files pointed into a temporary folder, STS endpoint set the way a user
 * would set it. Restores everything afterwards.
 *
 * Call it at the top of a `describe`; use the returned getters inside tests.
 */
export function useAwsTestEnv(options: LoopbackStsOptions = {}) {
  const saved = { ...process.env };
  let server: LoopbackSts | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    server = await LoopbackSts.start(options);
  });

  beforeEach(() => {
    for (const key of Object.keys(process.env)) {
      if (key.startsWith('AWS_')) {
        delete process.env[key];
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'aws-test-'));
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_ENDPOINT_URL_STS = server!.url;
    server!.reset();
    server!.credentialLifetimeSeconds =
      options.credentialLifetimeSeconds ?? 3600;
    server!.delayMs = options.delayMs ?? 0;
    server!.maxSessionDurationSeconds = 43_200;
    server!.addUser(MAIN.accessKeyId, MAIN.secretAccessKey, {
      account: MAIN.accountId,
      arn: MAIN.arn,
    });
    server!.addUser(OTHER.accessKeyId, OTHER.secretAccessKey, {
      account: OTHER.accountId,
      arn: OTHER.arn,
    });
  });

  afterEach(() => {
    process.env = { ...saved };
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  return {
    get sts(): LoopbackSts {
      return server!;
    },
    /** A temporary folder of this test. */
    get dir(): string {
      return dir!;
    },
    /** Writes a file into the test's temporary folder and returns its path. */
    writeFile(name: string, content: string): string {
      const path = join(dir!, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
