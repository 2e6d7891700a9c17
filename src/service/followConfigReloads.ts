import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';

/**
 * Keeps a root in step with the root config: a valid new `aws` block
 * replaces the old one, an invalid one is logged and refused.
 */
export function followConfigReloads(
  config: RootConfigService,
  target: { reconfigure(config: RootConfigService): void },
  logger: LoggerService,
) {
  let current = JSON.stringify(config.getOptional('aws') ?? null);
  config.subscribe?.(() => {
    const next = JSON.stringify(config.getOptional('aws') ?? null);
    if (next === current) {
      return;
    }
    try {
      target.reconfigure(config);
      current = next;
      logger.info('AWS credentials configuration reloaded');
    } catch (error) {
      logger.error(
        `Refused the changed AWS configuration; the previous one stays in force. ${error}`,
      );
    }
  });
}
