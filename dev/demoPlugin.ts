import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { awsCredentialsServiceRef } from '../src';
import { createDemoRouter } from './createDemoRouter';
import { DEMO_CATALOG, DEMO_SCAFFOLDER } from './demoConfig';

/**
 * A demo plugin of `npm start` (not shipped): it shows what the AWS
 * credentials service hands out to it, at `/api/<pluginId>`. Each demo
 * plugin is the same code; only its ID, and so its `aws.plugins.<pluginId>`
 * settings, differ.
 *
 * Its routes are open without a Backstage token, for the demo; they answer
 * account IDs and ARNs, never keys or tokens.
 */
export function createDemoPlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          aws: awsCredentialsServiceRef,
          config: coreServices.rootConfig,
          httpRouter: coreServices.httpRouter,
          logger: coreServices.logger,
        },
        async init({ aws, config, httpRouter, logger }) {
          httpRouter.use(createDemoRouter({ aws, config, logger, pluginId }));
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

/** The demo plugin that only reads, at `/api/demo-catalog`. */
export const demoCatalogPlugin = createDemoPlugin(DEMO_CATALOG.pluginId);

/** The demo plugin that provisions, at `/api/demo-scaffolder`. */
export const demoScaffolderPlugin = createDemoPlugin(DEMO_SCAFFOLDER.pluginId);
