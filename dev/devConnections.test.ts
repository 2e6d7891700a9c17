import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import request from 'supertest';
import { parse } from 'yaml';
import { useAwsTestEnv } from '../src/__testUtils__/awsTestEnv';
import { awsCredentialsServiceFactory } from '../src/service/awsCredentialsServiceFactory';
import {
  DEMO_CATALOG,
  DEMO_FORBIDDEN_ACCOUNT_ID,
  DEMO_MAIN_ACCOUNT,
  DEMO_OTHER_ACCOUNT_ID,
  DEMO_ROLE_ACCOUNT,
  DEMO_SCAFFOLDER,
  DEMO_STATIC_ACCOUNT,
  demoAwsConfig,
  demoConnection,
  registerDemoIdentities,
} from './demoConfig';
import { demoCatalogPlugin, demoScaffolderPlugin } from './demoPlugin';
import { loadDevConfig } from './devRootConfig';

const CONNECTIONS_YAML = join(__dirname, 'connections.yaml');

describe('the dev demo from an aws connection', () => {
  const env = useAwsTestEnv();

  beforeEach(() => {
    registerDemoIdentities(env.sts);
    delete process.env.AWS_ENDPOINT_URL_STS;
  });

  it('dev/connections.yaml is the connection check --print-connections makes of the demo', () => {
    const file = parse(readFileSync(CONNECTIONS_YAML, 'utf8'));
    expect(file).toEqual({
      connections: [demoConnection(env.sts.url).connection],
    });
  });

  it('npm start -- --config dev/connections.yaml serves it with the demo settings and a loopback STS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dev-connections-'));
    const lines: string[] = [];
    const dev = await loadDevConfig({
      argv: ['node', 'dev/index.ts', '--config', CONNECTIONS_YAML],
      env: {},
      home: dir,
      rootDir: dir,
      log: line => lines.push(line),
    });
    try {
      expect(dev.aws).toBe('demo-connection');
      const config = await ConfigSources.toConfig(dev.source);
      expect(config.getOptional('aws')).toEqual(
        demoConnection(dev.sts!.url).awsSettings,
      );
      expect(config.getOptional('connections')).toHaveLength(1);
      config.close();
      expect(lines).toContainEqual(
        expect.stringContaining(
          "the aws connection of your config, no aws block and no AWS credentials on this machine; serving the demo's aws settings",
        ),
      );
    } finally {
      await dev.sts?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives both demo plugins the same answers as the aws block of the demo', async () => {
    async function whoamis(data: JsonObject) {
      const backend = await startTestBackend({
        features: [
          demoCatalogPlugin,
          demoScaffolderPlugin,
          awsCredentialsServiceFactory,
          mockServices.rootConfig.factory({ data }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      const answers = [];
      for (const pluginId of [
        DEMO_CATALOG.pluginId,
        DEMO_SCAFFOLDER.pluginId,
      ]) {
        for (const query of [
          '',
          `?accountId=${DEMO_STATIC_ACCOUNT.accountId}`,
          `?accountId=${DEMO_ROLE_ACCOUNT.accountId}`,
          `?accountId=${DEMO_OTHER_ACCOUNT_ID}`,
          `?accountId=${DEMO_FORBIDDEN_ACCOUNT_ID}`,
          `?accountId=${DEMO_MAIN_ACCOUNT.accountId}`,
        ]) {
          const res = await request(backend.server).get(
            `/api/${pluginId}/whoami${query}`,
          );
          answers.push({
            pluginId,
            query,
            status: res.status,
            callerArn: res.body.callerArn,
            roleArn: res.body.roleArn,
          });
        }
      }
      await backend.stop();
      return answers;
    }
    const { connection, awsSettings } = demoConnection(env.sts.url);
    const fromBlock = await whoamis({ aws: demoAwsConfig(env.sts.url) });
    const fromConnection = await whoamis({
      aws: awsSettings,
      connections: [connection],
    });
    expect(fromConnection).toEqual(fromBlock);
    expect(fromBlock.map(a => a.status)).toEqual(
      expect.arrayContaining([200, 403, 404]),
    );
  }, 30_000);
});
