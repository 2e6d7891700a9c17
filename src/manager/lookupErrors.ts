import { NotAllowedError, NotFoundError } from '@backstage/errors';

/**
 * An account that no config serves. It starts with the original package's
 * phrase, so log searches and alerts written for it still match, and it
 * is the same whatever the plugin: one that switched account defaults off
 * gets what any unconfigured account gets.
 */
export function notConfigured(accountId: string): NotFoundError {
  return new NotFoundError(
    `There is no AWS integration that matches ${accountId}. Add it to aws.accounts (with a roleName, static keys or a profile), or set aws.accountDefaults.roleName to reach every account through a role.`,
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
