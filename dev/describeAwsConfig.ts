import type { Config } from '@backstage/config';
import { readAccountSources } from '../src/accounts/readAccountSources';
import { DEFAULT_CREDENTIALS_TIMEOUT_MS } from '../src/manager/DefaultAwsCredentialsManager';
import {
  AwsConfigDescription,
  describeAwsConfig as describe,
} from '../src/manager/describeAwsConfig';

/**
 * Describes the accounts of the root config (the aws connection, else the
 * `aws` block) as one plugin sees them, as
 * `GET /accounts` shows it: the package's own description of each source,
 * so it cannot drift from what the manager does. Keys, secrets, external
 * IDs and tokens are never part of it.
 */
export function describeAwsConfig(
  config: Config,
  pluginId: string,
): AwsConfigDescription {
  const parsed = readAccountSources(config);
  return describe(
    parsed,
    parsed.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
    pluginId,
  );
}
