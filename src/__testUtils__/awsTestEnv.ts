import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StsTestServer, StsTestServerOptions } from './StsTestServer';

/** The main account of the tests: a long-term key the loopback STS knows. */
export const MAIN = {
  accountId: '111111111111',
  accessKeyId: 'AKIAMAINACCOUNT00001',
  secretAccessKey: 'main-secret-access-key-0000000000000000',
  arn: 'arn:aws:iam::111111111111:user/backstage',
};

/** An account with keys of its own. */
export const OTHER = {
  accountId: '222222222222',
  accessKeyId: 'AKIAOTHERACCOUNT0002',
  secretAccessKey: 'other-secret-access-key-000000000000000',
  arn: 'arn:aws:iam::222222222222:user/backstage',
};

/**
 * Gives each test an environment in which the AWS SDK can only reach the
 * loopback STS: every AWS_* variable cleared, instance metadata off, shared
 * files pointed into a temporary folder, STS endpoint set the way a user
 * would set it. Restores everything afterwards.
 *
 * Call it at the top of a `describe`; use the returned getters inside tests.
 */
export function useAwsTestEnv(options: StsTestServerOptions = {}) {
  const saved = { ...process.env };
  let server: StsTestServer | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    server = await StsTestServer.start(options);
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
    get sts(): StsTestServer {
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
