import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readAccountSources } from '../accounts/readAccountSources';
import { configWarnings } from '../config';
import { keyPathsOf } from '../config/keyPaths';
import { kindWords } from '../providers/CredentialSource';
import type { AwsIntegrationConfig } from '../types';
import { ConfiguredAccounts } from './ConfiguredAccounts';

/** How long one attempt to obtain credentials may take, unless configured. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

/** The config in force, ready for lookups. */
export function snapshotOf(config: AwsIntegrationConfig): ConfiguredAccounts {
  return new ConfiguredAccounts(
    config,
    config.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS,
  );
}

/**
 * Reads the accounts (the `aws` connection, else the `aws` block) and the
 * `aws` block's settings, and logs what start-up should say about them.
 */
export function readConfig(
  config: Config,
  logger?: LoggerService,
): AwsIntegrationConfig {
  const result = readAccountSources(config);
  if (logger) {
    logStartUp(snapshotOf(result), logger);
  }
  return result;
}

/** The start-up warnings, and one line that says what the config gives. */
function logStartUp(accounts: ConfiguredAccounts, logger: LoggerService) {
  const { config } = accounts;
  for (const warning of configWarnings(config)) {
    logger.warn(warning.message, { path: warning.path });
  }
  const main = kindWords(accounts.main.description.kind);
  const plugins = Object.keys(config.plugins ?? {});
  const { origin } = keyPathsOf(config);
  logger.info(
    `AWS credentials: ${config.accounts.length} account(s) configured${
      origin === 'aws' ? '' : ` in the aws connection ${origin}`
    }, main account uses ${main}, account defaults ${
      config.accountDefaults.roleName ? 'apply' : 'do not apply'
    }${plugins.length ? `, plugin settings for ${plugins.join(', ')}` : ''}`,
    {
      ...(origin !== 'aws' && { connection: origin }),
      accounts: config.accounts.length,
      mainAccount: main,
      accountDefaults: Boolean(config.accountDefaults.roleName),
      ...(plugins.length && { plugins: plugins.join(',') }),
    },
  );
}
