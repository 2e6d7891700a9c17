import type { Config } from '@backstage/config';
import { readAwsIntegrationConfig } from '../src';
import { DEFAULT_CREDENTIALS_TIMEOUT_MS } from '../src/manager/DefaultAwsCredentialsManager';
import {
  AwsConfigDescription,
  describeAwsConfig as describe,
} from '../src/manager/describeAwsConfig';

/**
 * Describes the `aws` block of the root config as one plugin sees it, as
 * `GET /accounts` shows it: the package's own description of each source,
 * so it cannot drift from what the manager does. Keys, secrets, external
 * IDs and tokens are never part of it.
 */
export function describeAwsConfig(
  config: Config,
  pluginId: string,
): AwsConfigDescription {
  const awsConfig = config.getOptionalConfig('aws');
  const parsed = awsConfig
    ? readAwsIntegrationConfig(awsConfig)
    : { mainAccount: {}, accounts: [], accountDefaults: {} };
  return describe(
    parsed,
    parsed.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
    pluginId,
  );
}
