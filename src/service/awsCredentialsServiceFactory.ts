import { awsCredentialsServiceRef } from './awsCredentialsServiceRef';
import { defineAwsCredentialsServiceFactory } from './defineAwsCredentialsServiceFactory';

/**
 * Builds the backend's one AWS credentials manager from the root config.
 * A bad `aws` config fails the first plugin that uses the service, and so
 * the backend's start-up. The package's default export adds this factory
 * after checking the `aws` block before the HTTP server listens; prefer it.
 *
 * @public
 * @example
 * ```ts
 * // packages/backend/src/index.ts
 * backend.add(import('backstage-aws-credentials')); // preferred
 * // or, the factory alone:
 * backend.add(awsCredentialsServiceFactory);
 * ```
 */
export const awsCredentialsServiceFactory = defineAwsCredentialsServiceFactory(
  awsCredentialsServiceRef,
);
