import { createServiceRef } from '@backstage/backend-plugin-api';
import { AwsCredentialsService } from '../types';
import { defineAwsCredentialsServiceFactory } from './defineAwsCredentialsServiceFactory';

/**
 * The AWS credentials of a plugin: an {@link AwsCredentialsService} with
 * the plugin's own settings (`aws.plugins.<pluginId>`), over one cache
 * that every plugin of the backend shares.
 *
 * @public
 * @example
 * ```ts
 * createBackendPlugin({
 *   pluginId: 'my-plugin',
 *   register(env) {
 *     env.registerInit({
 *       deps: { aws: awsCredentialsServiceRef },
 *       async init({ aws }) {
 *         const { sdkCredentialProvider } = await aws.getCredentialProvider({
 *           accountId: '111111111111',
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 */
export const awsCredentialsServiceRef = createServiceRef<AwsCredentialsService>(
  {
    id: 'aws.credentials',
    scope: 'plugin',
    // A plugin that declares the ref works even where the adopter did not
    // add the factory; it is the same wiring as awsCredentialsServiceFactory.
    defaultFactory: async service =>
      defineAwsCredentialsServiceFactory(service),
  },
);
