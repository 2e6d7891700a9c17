/**
 * Test helpers for plugins that use the AWS credentials service.
 *
 * @packageDocumentation
 */

export {
  awsCredentialsServiceMock,
  mockAwsCredentials,
} from './testUtils/awsCredentialsServiceMock';
export type {
  AwsCredentialsServiceMockAccount,
  AwsCredentialsServiceMockOptions,
} from './testUtils/awsCredentialsServiceMock';
