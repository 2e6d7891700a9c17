import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackendFeature,
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { ConfigSources, MutableConfigSource } from '@backstage/config-loader';
import { settleUntil } from '../../__testUtils__/fakeClock';
import { AwsCredentialsManager } from '../../types';
import { awsCredentialsServiceFactory } from '../awsCredentialsServiceFactory';
import { awsCredentialsServiceRef } from '../awsCredentialsServiceRef';

/** One audit event, with the plugin whose auditor recorded it. */
export type AuditRecord = AuditorServiceCreateEventOptions & {
  pluginId: string;
  outcome?: 'success' | 'fail';
  error?: Error;
};

/** One log line; `pluginId` is set for a plugin's logger, not the root's. */
export type LogRecord = {
  pluginId?: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: JsonObject;
};

/** A logger that keeps every line, with the fields of its ancestors. */
function recordingLogger(
  lines: LogRecord[],
  pluginId: string | undefined,
  inherited: JsonObject = {},
): LoggerService {
  const at =
    (level: LogRecord['level']) => (message: string, meta?: unknown) => {
      const own =
        meta instanceof Error
          ? { error: meta.message }
          : (meta as JsonObject | undefined);
      lines.push({
        pluginId,
        level,
        message,
        fields: { ...inherited, ...own },
      });
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: meta => recordingLogger(lines, pluginId, { ...inherited, ...meta }),
  };
}

/**
 * The plugin-scoped auditor and logger, each recording the plugin it was
 * made for: `mockServices.auditor.mock()` hands every plugin one shared
 * mock, which could not tell the plugins apart.
 */
function recordingServices(audits: AuditRecord[], logs: LogRecord[]) {
  return [
    createServiceFactory({
      service: coreServices.auditor,
      deps: { pluginMetadata: coreServices.pluginMetadata },
      factory({ pluginMetadata }): AuditorService {
        const pluginId = pluginMetadata.getId();
        return {
          async createEvent(options) {
            const record: AuditRecord = { ...options, pluginId };
            audits.push(record);
            return {
              async success() {
                record.outcome = 'success';
              },
              async fail({ error }) {
                record.outcome = 'fail';
                record.error = error;
              },
            };
          },
        };
      },
    }),
    createServiceFactory({
      service: coreServices.logger,
      deps: { pluginMetadata: coreServices.pluginMetadata },
      factory: ({ pluginMetadata }) =>
        recordingLogger(logs, pluginMetadata.getId()),
    }),
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => recordingLogger(logs, undefined),
    }),
  ];
}

/** A plugin that keeps the view it was injected, as a plugin author would. */
function capturingPlugin(
  pluginId: string,
  views: Record<string, AwsCredentialsManager>,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { aws: awsCredentialsServiceRef },
        async init({ aws }) {
          views[pluginId] = aws;
        },
      });
    },
  });
}

/** A module of `pluginId` that keeps the view it was injected. */
export function capturingModule(
  pluginId: string,
  moduleId: string,
  seen: AwsCredentialsManager[],
) {
  return createBackendModule({
    pluginId,
    moduleId,
    register(env) {
      env.registerInit({
        deps: { aws: awsCredentialsServiceRef },
        async init({ aws }) {
          seen.push(aws);
        },
      });
    },
  });
}

/**
 * Starts a test backend with the service factory, one capturing plugin per
 * ID, and recording auditors and loggers. Give the `aws` block as data, or
 * a whole root config (e.g. one that reloads).
 */
export async function startPluginsBackend(options: {
  pluginIds: string[];
  aws?: object;
  config?: RootConfigService;
  features?: BackendFeature[];
}) {
  const views: Record<string, AwsCredentialsManager> = {};
  const audits: AuditRecord[] = [];
  const logs: LogRecord[] = [];
  const { config } = options;
  const backend = await startTestBackend({
    features: [
      ...options.pluginIds.map(id => capturingPlugin(id, views)),
      ...(options.features ?? []),
      awsCredentialsServiceFactory,
      ...recordingServices(audits, logs),
      config
        ? createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () => config,
          })
        : mockServices.rootConfig.factory({
            data: { aws: options.aws ?? {} } as JsonObject,
          }),
    ],
  });
  return {
    views,
    audits,
    logs,
    /** The view of a plugin, which must have been started. */
    view(pluginId: string): AwsCredentialsManager {
      const view = views[pluginId];
      if (!view) {
        throw new Error(`plugin ${pluginId} did not start`);
      }
      return view;
    },
    stop: () => backend.stop(),
  };
}

/**
 * {@link startPluginsBackend} over a root config whose `aws` block a test
 * can replace, as a reload of app-config does.
 */
export async function startReloadablePluginsBackend(options: {
  pluginIds: string[];
  aws: object;
}) {
  const source = MutableConfigSource.create({
    data: { aws: options.aws } as JsonObject,
  });
  const config = await ConfigSources.toConfig(source);
  const backend = await startPluginsBackend({
    pluginIds: options.pluginIds,
    config,
  });
  const answers = () =>
    backend.logs.filter(
      l =>
        l.message === 'AWS credentials configuration reloaded' ||
        l.level === 'error',
    ).length;
  return {
    backend,
    /** Sets the new aws block and waits for the service's answer to it. */
    async reload(next: object) {
      const before = answers();
      source.setData({ aws: next } as JsonObject);
      await settleUntil(() => answers() > before);
      expect(backend.logs.filter(l => l.level === 'error')).toEqual([]);
    },
    async stop() {
      await backend.stop();
      config.close();
    },
  };
}

/** Credentials of an account (or the main account) as a plugin gets them. */
export async function credentialsOf(
  aws: AwsCredentialsManager,
  opts: { accountId?: string; arn?: string } = {},
) {
  const provider = await aws.getCredentialProvider(opts);
  return provider.sdkCredentialProvider();
}
