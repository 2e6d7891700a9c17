import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { configWarnings, readAwsBlock } from '../config';
import { kindWords } from '../providers/CredentialSource';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts } from './ConfiguredAccounts';

/** How long one attempt to obtain credentials may take, unless configured. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

function snapshotOf(config: AwsIntegrationConfig): ConfiguredAccounts {
  return new ConfiguredAccounts(
    config,
    config.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
  );
}

/** Reads the `aws` block and logs what start-up should say about it. */
export function readConfig(
  config: Config,
  logger?: LoggerService,
): ConfiguredAccounts {
  const aws = config.getOptional('aws');
  const result: AwsIntegrationConfig =
    aws === undefined
      ? { accounts: [], mainAccount: {}, accountDefaults: {} }
      : readAwsBlock(aws);
  for (const warning of configWarnings(result)) {
    logger?.warn(warning.message, { path: warning.path });
  }
  const accounts = snapshotOf(result);
  const main = accounts.main.description;
  const plugins = Object.keys(result.plugins ?? {});
  logger?.info(
    `AWS credentials: ${
      result.accounts.length
    } account(s) configured, main account uses ${kindWords(
      main.kind,
    )}, account defaults ${
      result.accountDefaults.roleName ? 'apply' : 'do not apply'
    }${plugins.length ? `, plugin settings for ${plugins.join(', ')}` : ''}`,
    {
      accounts: result.accounts.length,
      mainAccount: kindWords(main.kind),
      accountDefaults: Boolean(result.accountDefaults.roleName),
      ...(plugins.length && { plugins: plugins.join(',') }),
    },
  );
  return accounts;
}
