/**
 * Test helpers for plugins that use the AWS credentials service.
 *
 * @packageDocumentation
 */

export {
  awsCredentialsServiceMock,
  mockAwsCredentials,
} from './awsCredentialsServiceMock';
export type {
  AwsCredentialsServiceMockAccount,
  AwsCredentialsServiceMockOptions,
} from './awsCredentialsServiceMock';
