import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigSources, StaticConfigSource } from '@backstage/config-loader';
import { LoopbackSts } from '../loopbackSts';
import { demoAwsConfig, registerDemoIdentities } from './demoConfig';

/**
 * The root config of the dev backend: the usual sources (`app-config.yaml`,
 * or the `--config` arguments, then `APP_CONFIG_*` variables) over a layer
 * of defaults, so anything the real config sets wins.
 *
 * The defaults hold plugin signing keys made for this process, which
 * `@backstage/backend-defaults` would otherwise keep in a database. When the
 * real config has no `aws` block and the environment no AWS credentials,
 * they also hold the demo `aws` block, and a loopback STS is started to
 * answer for it (`AWS_ENDPOINT_URL_STS`); no request then leaves the host.
 */
export async function devRootConfigServiceFactory() {
  const userConfig = await ConfigSources.toConfig(userConfigSource());
  const hasAwsConfig = userConfig.has('aws');
  const hasDatabase = userConfig.has('backend.database');
  const hasKeyStore = userConfig.has('backend.auth.pluginKeyStore');
  userConfig.close();

  let aws: ReturnType<typeof demoAwsConfig> | undefined;
  const envCredentials = awsCredentialsInEnvironment();
  if (hasAwsConfig) {
    console.log('AWS demo: using the aws block of your config');
  } else if (envCredentials) {
    console.log(
      `AWS demo: no aws block in the config; the main account uses the AWS SDK's default chain (${envCredentials} is set)`,
    );
  } else {
    const sts = await startEmbeddedSts();
    aws = demoAwsConfig();
    console.log(
      `AWS demo: no aws block in the config and no AWS credentials in the environment; using the demo aws config against a loopback STS at ${sts.url}`,
    );
  }

  const defaults = {
    // The default key store needs a database, and the default database
    // (better-sqlite3) a native module.
    ...(!hasDatabase &&
      !hasKeyStore && {
        backend: { auth: { pluginKeyStore: ephemeralKeyStore() } },
      }),
    ...(aws && { aws }),
  };

  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    async factory() {
      const source = ConfigSources.merge([
        StaticConfigSource.create({ data: defaults, context: 'dev defaults' }),
        userConfigSource(),
      ]);
      console.log(`Loading config from ${source}`);
      return await ConfigSources.toConfig(source);
    },
  });
}

/** What the default root config service of backend-defaults reads. */
function userConfigSource() {
  return ConfigSources.default({});
}

/** The variable through which the SDK's default chain finds credentials. */
function awsCredentialsInEnvironment(): string | undefined {
  return Object.keys(process.env).find(
    name =>
      process.env[name] &&
      (name === 'AWS_ACCESS_KEY_ID' ||
        name === 'AWS_PROFILE' ||
        name === 'AWS_WEB_IDENTITY_TOKEN_FILE' ||
        name.startsWith('AWS_CONTAINER_CREDENTIALS_')),
  );
}

/** A loopback STS that knows the demo keys, and takes every STS call. */
async function startEmbeddedSts(): Promise<LoopbackSts> {
  const sts = await LoopbackSts.start();
  registerDemoIdentities(sts);
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  return sts;
}

/** A signing key pair for this process only, removed when it exits. */
function ephemeralKeyStore() {
  const dir = mkdtempSync(join(tmpdir(), 'aws-credentials-demo-keys-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicKeyFile = join(dir, 'public.pem');
  const privateKeyFile = join(dir, 'private.pem');
  writeFileSync(publicKeyFile, publicKey);
  writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
  return {
    type: 'static',
    static: { keys: [{ keyId: 'dev', publicKeyFile, privateKeyFile }] },
  };
}
