import { createServiceRef } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '../types';
import { defineAwsCredentialsServiceFactory } from './defineAwsCredentialsServiceFactory';

/**
 * The AWS credentials of the backend: one shared, cached
 * {@link AwsCredentialsManager} for every plugin.
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
export const awsCredentialsServiceRef = createServiceRef<AwsCredentialsManager>(
  {
    id: 'aws.credentials',
    scope: 'root',
    // A plugin that declares the ref works even where the adopter did not
    // add the factory; it is the same wiring as awsCredentialsServiceFactory.
    defaultFactory: async service =>
      defineAwsCredentialsServiceFactory(service),
  },
);
