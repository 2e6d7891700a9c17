import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { awsCredentialsServiceRef } from '../src';
import { createDemoRouter } from './createDemoRouter';

/**
 * The demo plugin of `npm start` (not shipped): it shows what the AWS
 * credentials service hands out, at `/api/aws-credentials-demo`.
 *
 * Its routes are open without a Backstage token, for the demo; they answer
 * account IDs and ARNs, never keys or tokens.
 */
export const demoPlugin = createBackendPlugin({
  pluginId: 'aws-credentials-demo',
  register(env) {
    env.registerInit({
      deps: {
        aws: awsCredentialsServiceRef,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ aws, config, httpRouter, logger }) {
        httpRouter.use(createDemoRouter({ aws, config, logger }));
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});
