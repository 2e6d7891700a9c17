import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';
import { AwsCredentialsManager } from '../types';

/**
 * The one definition of the service's wiring, used by both the ref's
 * default factory and the exported `awsCredentialsServiceFactory`: one
 * manager per backend, built from the root config and kept in step with
 * it (a valid new `aws` block replaces the old one, an invalid one is
 * logged and refused).
 */
export function defineAwsCredentialsServiceFactory(
  service: ServiceRef<AwsCredentialsManager, 'root'>,
): ServiceFactory<AwsCredentialsManager, 'root', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
    },
    factory({ config, logger }) {
      const manager = DefaultAwsCredentialsManager.fromConfig(config, {
        logger,
      });
      let current = JSON.stringify(config.getOptional('aws') ?? null);
      config.subscribe?.(() => {
        const next = JSON.stringify(config.getOptional('aws') ?? null);
        if (next === current) {
          return;
        }
        try {
          manager.reconfigure(config);
          current = next;
          logger.info('AWS credentials configuration reloaded');
        } catch (error) {
          logger.error(
            `Refused the changed AWS configuration; the previous one stays in force. ${error}`,
          );
        }
      });
      return manager;
    },
  });
}
