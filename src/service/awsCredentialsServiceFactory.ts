import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';
import { defineAwsCredentialsServiceFactory } from './defineAwsCredentialsServiceFactory';

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
export const awsCredentialsServiceFactory = defineAwsCredentialsServiceFactory(
  awsCredentialsServiceRef,
);
