import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigSources } from '@backstage/config-loader';
import { DEMO_MAIN_ACCOUNT } from './demoConfig';
import { DevConfig, DevConfigOptions, loadDevConfig } from './devRootConfig';

const REPO_APP_CONFIG = resolve(__dirname, '..', 'app-config.yaml');

describe('loadDevConfig', () => {
  let dir: string;
  let loaded: DevConfig[];
  let lines: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-config-'));
    loaded = [];
    lines = [];
  });

  afterEach(async () => {
    for (const { sts } of loaded) {
      await sts?.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(name: string, yaml: string): string {
    const path = join(dir, name);
    writeFileSync(path, yaml);
    return path;
  }

  /** Loads as `npm start -- --config <file> ...` would, on a bare machine. */
  async function load(files: string[], options: DevConfigOptions = {}) {
    const dev = await loadDevConfig({
      argv: ['node', 'dev/index.ts', ...files.flatMap(f => ['--config', f])],
      env: {},
      home: dir,
      rootDir: dir,
      log: line => lines.push(line),
      ...options,
    });
    loaded.push(dev);
    const config = await ConfigSources.toConfig(dev.source);
    const data = config.get();
    config.close();
    return { dev, config: data as any };
  }

  describe('the README command with a config of your own', () => {
    const MY_AWS = ['aws:', '  mainAccount:', '    profile: dev', ''].join(
      '\n',
    );

    it('starts with app-config.yaml and my-aws.yaml, on 127.0.0.1', async () => {
      const { dev, config } = await load([
        REPO_APP_CONFIG,
        writeConfig('my-aws.yaml', MY_AWS),
      ]);

      expect(dev.aws).toBe('config');
      expect(dev.sts).toBeUndefined();
      expect(config.backend.baseUrl).toBe('http://localhost:7007');
      expect(config.backend.listen).toEqual({ host: '127.0.0.1', port: 7007 });
      expect(config.aws).toEqual({ mainAccount: { profile: 'dev' } });
      expect(lines).toContain('AWS demo: using the aws block of your config');
    });

    it('starts with my-aws.yaml alone, which has no backend block', async () => {
      const { config } = await load([writeConfig('my-aws.yaml', MY_AWS)]);

      expect(config.backend.baseUrl).toBe('http://localhost:7007');
      expect(config.backend.listen).toEqual({ host: '127.0.0.1', port: 7007 });
    });
  });

  describe('the listen host', () => {
    it('is 127.0.0.1 even when the config leaves it out', async () => {
      const { config } = await load([
        writeConfig(
          'app.yaml',
          'backend:\n  baseUrl: http://localhost:8080\n  listen:\n    port: 8080\n',
        ),
      ]);

      expect(config.backend.listen).toEqual({ host: '127.0.0.1', port: 8080 });
      expect(config.backend.baseUrl).toBe('http://localhost:8080');
    });

    it('refuses to start when a config file asks for every interface', async () => {
      const file = writeConfig(
        'app.yaml',
        'backend:\n  listen:\n    host: 0.0.0.0\n',
      );

      await expect(load([file])).rejects.toThrow(
        /^The dev backend listens on 127\.0\.0\.1 only, because its demo routes answer without a Backstage token; your config sets backend\.listen to '0\.0\.0\.0'/,
      );
    });

    it('refuses to start when APP_CONFIG_backend_listen_host asks for another host', async () => {
      await expect(
        load([writeConfig('app.yaml', 'app:\n  title: x\n')], {
          env: { APP_CONFIG_backend_listen_host: '10.0.0.5' },
        }),
      ).rejects.toThrow("your config sets backend.listen to '10.0.0.5'");
    });
  });

  describe('which aws config', () => {
    const APP = 'app:\n  title: dev\n';

    it('serves the demo against its own loopback STS, through aws.sts.endpoint alone', async () => {
      const envBefore = { ...process.env };
      const { dev, config } = await load([writeConfig('app.yaml', APP)]);

      expect(dev.aws).toBe('demo');
      expect(config.aws.sts).toEqual({ endpoint: dev.sts!.url });
      expect(config.aws.mainAccount.accessKeyId).toBe(
        DEMO_MAIN_ACCOUNT.accessKeyId,
      );
      expect(process.env).toEqual(envBefore);
      expect(lines).toContainEqual(
        expect.stringContaining(
          `no aws block in the config and no AWS credentials on this machine (no credential variables, no profile in ${join(
            dir,
            '.aws',
            'credentials',
          )} or ${join(dir, '.aws', 'config')})`,
        ),
      );

      // The STS knows the demo keys.
      const client = new STSClient({
        region: 'us-east-1',
        endpoint: dev.sts!.url,
        credentials: DEMO_MAIN_ACCOUNT,
      });
      const identity = await client.send(new GetCallerIdentityCommand({}));
      client.destroy();
      expect(identity.Account).toBe(DEMO_MAIN_ACCOUNT.accountId);
    });

    it('keeps the record of calls of its STS bounded', async () => {
      const { dev } = await load([writeConfig('app.yaml', APP)]);
      for (let i = 0; i < 150; i++) {
        await fetch(dev.sts!.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'Action=GetCallerIdentity&Version=2011-06-15',
        }).then(res => res.text());
      }
      expect(dev.sts!.calls).toHaveLength(100);
    });

    it('uses the default chain when an AWS variable gives credentials', async () => {
      const { dev, config } = await load([writeConfig('app.yaml', APP)], {
        env: { AWS_PROFILE: 'dev' },
      });

      expect(dev.aws).toBe('credentials');
      expect(dev.sts).toBeUndefined();
      expect(config.aws).toBeUndefined();
      expect(lines).toContain(
        "AWS demo: no aws block in the config; the main account uses the AWS SDK's default chain, which finds credentials on this machine (AWS_PROFILE is set)",
      );
    });

    it('uses the default chain when a shared file has a profile', async () => {
      const credentials = writeConfig('credentials', '[default]\n');
      const { dev } = await load([writeConfig('app.yaml', APP)], {
        env: { AWS_SHARED_CREDENTIALS_FILE: credentials },
      });

      expect(dev.aws).toBe('credentials');
      expect(lines).toContainEqual(
        expect.stringContaining(`(profile 'default' in ${credentials})`),
      );
    });

    it('uses an aws block given through APP_CONFIG_ variables', async () => {
      const { dev, config } = await load([writeConfig('app.yaml', APP)], {
        env: { APP_CONFIG_aws_mainAccount_profile: 'ops' },
      });

      expect(dev.aws).toBe('config');
      expect(config.aws).toEqual({ mainAccount: { profile: 'ops' } });
    });
  });
});
