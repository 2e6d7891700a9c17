/**
 * The experimental part of backstage-aws-credentials: AWS credentials
 * from the connections framework (`@backstage/connections`), as
 * `@backstage/integration-aws-node/alpha` offers them.
 *
 * @packageDocumentation
 */

export { createAwsCredentialsManagerFromConnection } from './alpha/createAwsCredentialsManagerFromConnection';
// What the manager implements, so that the report names it here too.
export type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
} from './types';
