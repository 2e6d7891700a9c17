import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '../DefaultAwsCredentialsManager';
import { AwsCredentialsManager } from '../types';

/**
 * Builds the one manager of a backend and keeps it in step with the root
 * config: a valid new `aws` block replaces the old one, an invalid one is
 * logged and refused.
 */
export function createAwsCredentialsService(deps: {
  config: RootConfigService;
  logger: LoggerService;
}): AwsCredentialsManager {
  const { config, logger } = deps;
  const manager = DefaultAwsCredentialsManager.fromConfig(config, { logger });

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
}
