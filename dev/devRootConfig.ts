import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ConfigSource,
  ConfigSources,
  StaticConfigSource,
} from '@backstage/config-loader';
import { LoopbackSts } from '../loopbackSts';
import type { JsonValue } from '@backstage/config';
import {
  demoAwsConfig,
  demoConnection,
  registerDemoIdentities,
} from './demoConfig';
import { findAwsCredentials } from './findAwsCredentials';
import { loopbackListen } from './loopbackListen';

/** The calls the embedded STS keeps for inspection; nothing here reads them. */
const EMBEDDED_STS_RECORDED_CALLS = 100;

/** Where the dev config comes from; the process's own unless given (tests). */
export type DevConfigOptions = {
  argv?: string[];
  env?: Record<string, string | undefined>;
  /** Where `app-config.yaml` is looked for without `--config`. */
  rootDir?: string;
  /** The home folder whose `.aws/` files are looked at. */
  home?: string;
  log?: (line: string) => void;
};

/** The dev backend's config, and what was decided on the way. */
export type DevConfig = {
  source: ConfigSource;
  /**
   * Which `aws` config is in force; `demo-connection`: the aws connection
   * of your config (dev/connections.yaml is the demo's) with the demo's
   * aws settings and loopback STS.
   */
  aws: 'config' | 'credentials' | 'demo' | 'demo-connection';
  /** The embedded STS of the demo; stop it when done. */
  sts?: LoopbackSts;
};

/**
 * The config of the dev backend: three layers, later ones winning.
 *
 * 1. Defaults: what a backend needs to start (`backend.baseUrl`, a port),
 *    plugin signing keys made for this process (which
 *    `@backstage/backend-defaults` would otherwise keep in a database),
 *    and, when neither the config has an `aws` block nor the machine AWS
 *    credentials, the demo `aws` block, whose `aws.sts.endpoint` is a
 *    loopback STS started here (and `aws.organization.endpoint`, for the
 *    demo organization). No request then leaves the host, and no
 *    environment variable is changed.
 * 2. The usual sources: `app-config.yaml` or the `--config` arguments,
 *    then `APP_CONFIG_*` variables.
 * 3. `backend.listen.host: 127.0.0.1`, whatever the config says: the demo
 *    routes answer without a token. Another host in the config is refused.
 *
 * @throws Error for a config that asks to listen on another host.
 */
export async function loadDevConfig(
  options: DevConfigOptions = {},
): Promise<DevConfig> {
  const log = options.log ?? console.log;
  const userSource = () =>
    ConfigSources.default({
      argv: options.argv,
      env: options.env,
      rootDir: options.rootDir,
    });
  const userConfig = await ConfigSources.toConfig(userSource());
  const hasAwsConfig = userConfig.has('aws');
  const hasAwsConnection = (
    userConfig.getOptional<JsonValue[]>('connections') ?? []
  ).some(c => (c as { type?: unknown })?.type === 'aws');
  const hasDatabase = userConfig.has('backend.database');
  const hasKeyStore = userConfig.has('backend.auth.pluginKeyStore');
  let listen: ReturnType<typeof loopbackListen>;
  try {
    listen = loopbackListen(userConfig);
  } finally {
    userConfig.close();
  }

  let aws: DevConfig['aws'];
  let sts: LoopbackSts | undefined;
  const search = findAwsCredentials({ env: options.env, home: options.home });
  if (hasAwsConfig) {
    aws = 'config';
    log('AWS demo: using the aws block of your config');
  } else if (hasAwsConnection && search.found) {
    aws = 'config';
    log(
      `AWS demo: using the aws connection of your config, against the STS it says (there are AWS credentials on this machine: ${search.found})`,
    );
  } else if (search.found) {
    aws = 'credentials';
    log(
      `AWS demo: no aws block in the config; the main account uses the AWS SDK's default chain, which finds credentials on this machine (${search.found})`,
    );
  } else if (hasAwsConnection) {
    aws = 'demo-connection';
    sts = await LoopbackSts.start({
      maxRecordedCalls: EMBEDDED_STS_RECORDED_CALLS,
    });
    registerDemoIdentities(sts);
    log(
      `AWS demo: the aws connection of your config, no aws block and no AWS credentials on this machine; serving the demo's aws settings, with aws.sts.endpoint and aws.organization.endpoint set to a loopback STS at ${sts.url}`,
    );
  } else {
    aws = 'demo';
    sts = await LoopbackSts.start({
      maxRecordedCalls: EMBEDDED_STS_RECORDED_CALLS,
    });
    registerDemoIdentities(sts);
    log(
      `AWS demo: no aws block in the config and no AWS credentials on this machine (no credential variables, no profile in ${search.files.join(
        ' or ',
      )}); serving the demo aws config, with aws.sts.endpoint and aws.organization.endpoint set to a loopback STS at ${
        sts.url
      }`,
    );
  }

  const defaults = {
    ...listen.defaults,
    ...(sts && {
      aws:
        aws === 'demo'
          ? demoAwsConfig(sts.url)
          : demoConnection(sts.url).awsSettings,
    }),
  };
  // The default key store needs a database, and the default database
  // (better-sqlite3) a native module.
  if (!hasDatabase && !hasKeyStore) {
    Object.assign(defaults.backend, {
      auth: { pluginKeyStore: ephemeralKeyStore() },
    });
  }

  const source = ConfigSources.merge([
    StaticConfigSource.create({ data: defaults, context: 'dev defaults' }),
    userSource(),
    StaticConfigSource.create({
      data: listen.forced,
      context: 'dev: listen on 127.0.0.1 only',
    }),
  ]);
  log(`Loading config from ${source}`);
  return { source, aws, sts };
}

/** The root config service of the dev backend (see {@link loadDevConfig}). */
export async function devRootConfigServiceFactory(
  options: DevConfigOptions = {},
) {
  const { source } = await loadDevConfig(options);
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    async factory() {
      return await ConfigSources.toConfig(source);
    },
  });
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
