import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';
import { createAwsCredentialsService } from './createAwsCredentialsService';

/**
 * Builds the backend's one AWS credentials manager from the root config.
 * A bad `aws` config stops the backend at start-up.
 *
 * @public
 * @example
 * ```ts
 * // packages/backend/src/index.ts
 * backend.add(import('backstage-aws-credentials'));
 * ```
 */
export const awsCredentialsServiceFactory = createServiceFactory({
  service: awsCredentialsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  factory: createAwsCredentialsService,
});
