import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readAccountSources } from '../accounts/readAccountSources';
import { configWarnings } from '../config';
import { keyPathsOf } from '../config/keyPaths';
import { kindWords } from '../providers/CredentialSource';
import { namesNoSource } from '../providers/resolveSource';
import type {
  AwsIntegrationAccountConfig,
  AwsIntegrationConfig,
} from '../types';
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

/** The most accounts the start-up line names; the rest are counted. */
const NAMED_AT_MOST = 20;

/**
 * One line naming the accounts the default chain serves because their
 * entries name no source. Such an entry is often a mistake: the config
 * loader leaves out a key whose `${VAR}` is not set, so
 * `roleName: ${MY_ROLE}` becomes `{ accountId }`.
 */
function logDefaultChainAccounts(
  config: AwsIntegrationConfig,
  logger: LoggerService,
) {
  const served: string[] = [];
  const collect = (accounts: AwsIntegrationAccountConfig[], path: string) =>
    accounts.forEach((account, i) => {
      if (namesNoSource(account)) {
        served.push(`${account.accountId} (${path}[${i}])`);
      }
    });
  collect(config.accounts, 'aws.accounts');
  for (const [pluginId, plugin] of Object.entries(config.plugins ?? {})) {
    collect(plugin.accounts ?? [], `aws.plugins.${pluginId}.accounts`);
  }
  if (served.length === 0) {
    return;
  }
  const named = served.slice(0, NAMED_AT_MOST).join(', ');
  const more =
    served.length > NAMED_AT_MOST
      ? ` and ${served.length - NAMED_AT_MOST} more`
      : '';
  logger.info(
    `AWS credentials: ${served.length} account(s) served by the backend's default credential chain, as their entries name no role, keys or profile: ${named}${more}. If that is not meant, an unset \${VAR} may have left a key out: backstage-aws-credentials check lists them`,
    { defaultChainAccounts: served.length },
  );
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
  logDefaultChainAccounts(config, logger);
}
