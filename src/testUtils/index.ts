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
// What the mock implements, so that tests need only this entry point.
export type {
  AwsAccountListing,
  AwsAccountSource,
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  AwsCredentialsService,
} from '../types';
