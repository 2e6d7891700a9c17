import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';

/** What a reload must look at: the `aws` block and the `connections` list. */
function watched(config: RootConfigService): string {
  return JSON.stringify([
    config.getOptional('aws') ?? null,
    config.getOptional('connections') ?? null,
  ]);
}

/**
 * Keeps a root in step with the root config: a valid new `aws` block or
 * `aws` connection replaces the old one, an invalid one is logged and
 * refused.
 */
export function followConfigReloads(
  config: RootConfigService,
  target: { reconfigure(config: RootConfigService): void },
  logger: LoggerService,
) {
  let current = watched(config);
  config.subscribe?.(() => {
    const next = watched(config);
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
