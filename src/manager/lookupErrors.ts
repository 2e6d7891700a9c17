import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AWS_BLOCK_PATHS, KeyPaths } from '../config/keyPaths';

/**
 * An account that no config serves. It starts with the original package's
 * phrase, so log searches and alerts written for it still match, and it
 * is the same whatever the plugin: one that switched account defaults off
 * gets what any unconfigured account gets.
 */
export function notConfigured(
  accountId: string,
  paths: KeyPaths = AWS_BLOCK_PATHS,
): NotFoundError {
  return new NotFoundError(
    `There is no AWS integration that matches ${accountId}. ${paths.addAccountFix(
      accountId,
    )}`,
  );
}

/** An account that the allow-list at `listPath` leaves out. */
export function notAllowed(
  accountId: string,
  listPath: string,
  pluginId: string | undefined,
): NotAllowedError {
  const plugin = pluginId ? ` to plugin '${pluginId}'` : '';
  return new NotAllowedError(
    `AWS account ${accountId} is not allowed${plugin}: it is not in ${listPath}. Add it there if this plugin may use it.`,
  );
}
