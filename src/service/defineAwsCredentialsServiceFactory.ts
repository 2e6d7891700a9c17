import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { CredentialsRoot } from '../manager/CredentialsRoot';
import { PluginCredentialsView } from '../manager/PluginCredentialsView';
import { AwsCredentialsManager } from '../types';
import { followConfigReloads } from './followConfigReloads';

/**
 * The one definition of the service's wiring, used by both the ref's
 * default factory and the exported `awsCredentialsServiceFactory`: one
 * root per backend (the config in force and the one cache of sessions,
 * kept in step with the root config), and for each plugin a view of it
 * with the plugin's own settings, logger and auditor.
 */
export function defineAwsCredentialsServiceFactory(
  service: ServiceRef<AwsCredentialsManager, 'plugin'>,
): ServiceFactory<AwsCredentialsManager, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      rootConfig: coreServices.rootConfig,
      rootLogger: coreServices.rootLogger,
      pluginMetadata: coreServices.pluginMetadata,
      logger: coreServices.logger,
      auditor: coreServices.auditor,
    },
    createRootContext({ rootConfig, rootLogger }) {
      const root = CredentialsRoot.fromConfig(rootConfig, rootLogger);
      followConfigReloads(rootConfig, root, rootLogger);
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
