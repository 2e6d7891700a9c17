import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { CredentialsRoot } from '../manager/CredentialsRoot';
import { PluginCredentialsView } from '../manager/PluginCredentialsView';
import { AwsCredentialsService } from '../types';
import { followConfigReloads } from './followConfigReloads';

/**
 * The one definition of the service's wiring, used by both the ref's
 * default factory and the exported `awsCredentialsServiceFactory`: one
 * root per backend (the config in force and the one cache of sessions,
 * kept in step with the root config), and for each plugin a view of it
 * with the plugin's own settings, logger and auditor.
 */
export function defineAwsCredentialsServiceFactory(
  service: ServiceRef<AwsCredentialsService, 'plugin'>,
): ServiceFactory<AwsCredentialsService, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      rootConfig: coreServices.rootConfig,
      rootLogger: coreServices.rootLogger,
      rootLifecycle: coreServices.rootLifecycle,
      pluginMetadata: coreServices.pluginMetadata,
      logger: coreServices.logger,
      auditor: coreServices.auditor,
    },
    createRootContext({ rootConfig, rootLogger, rootLifecycle }) {
      const root = CredentialsRoot.fromConfig(rootConfig, rootLogger);
      followConfigReloads(rootConfig, root, rootLogger);
      // Stops the organization's refreshes, if any.
      rootLifecycle.addShutdownHook(() => root.stop());
      return root;
    },
    factory({ pluginMetadata, logger, auditor }, root) {
      return new PluginCredentialsView(root, {
        pluginId: pluginMetadata.getId(),
        logger,
        auditor,
      });
    },
  });
}
