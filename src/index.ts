/**
 * Shared, cached AWS credentials for Backstage backend plugins.
 *
 * @packageDocumentation
 */

export { DefaultAwsCredentialsManager } from './manager/DefaultAwsCredentialsManager';
export type { AwsCredentialsManagerOptions } from './manager/DefaultAwsCredentialsManager';
export { readAwsIntegrationConfig } from './config';
export { awsCredentialsServiceRef } from './service/awsCredentialsServiceRef';
export { awsCredentialsServiceFactory } from './service/awsCredentialsServiceFactory';
export type {
  AwsAccountListing,
  AwsAccountSource,
  AwsCredentialsService,
  AwsIntegrationOrganizationConfig,
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationMainAccountConfig,
  AwsIntegrationPluginConfig,
  AwsRoleChainHopConfig,
} from './types';

export { awsCredentialsFeatureLoader as default } from './service/awsCredentialsFeatureLoader';
