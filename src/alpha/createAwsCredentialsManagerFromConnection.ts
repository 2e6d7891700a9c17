import type { ConnectionsService } from '@backstage/connections';
import { DefaultAwsCredentialsManager } from '../manager/DefaultAwsCredentialsManager';
import type { AwsCredentialsManager } from '../types';

/**
 * A credentials manager over the `aws` connection that a plugin's
 * connections service finds, with the lookup rules of
 * `createAwsCredentialsManagerFromConnection` of
 * `@backstage/integration-aws-node/alpha` and this package's cache.
 * Plugins that depend on `awsCredentialsServiceRef` need none of this:
 * the service reads the `aws` connection itself, with one cache for every
 * plugin.
 *
 * @param connections - The plugin's connections service
 *   (`connectionsServiceRef` of `@backstage/backend-plugin-api/alpha`).
 * @alpha
 * @example
 * ```ts
 * env.registerInit({
 *   deps: { connections: connectionsServiceRef },
 *   async init({ connections }) {
 *     const aws = createAwsCredentialsManagerFromConnection(connections);
 *     const { sdkCredentialProvider } = await aws.getCredentialProvider({
 *       accountId: '111111111111',
 *     });
 *   },
 * });
 * ```
 */
export const createAwsCredentialsManagerFromConnection = (
  connections: ConnectionsService,
): AwsCredentialsManager =>
  DefaultAwsCredentialsManager.experimentalFromConnections(connections);
