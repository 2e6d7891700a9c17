import type { LoggerService } from '@backstage/backend-plugin-api';
import { kindWords } from '../providers/CredentialSource';
import { CredentialsRoot } from './CredentialsRoot';
import type { Served } from './LookupRules';

/** Where a view's debug lines go, and the plugin they name. */
export type ServedLog = {
  logger?: LoggerService;
  pluginId?: string;
  root: CredentialsRoot;
};

/** The debug line of a provider created for an account. */
export function logServed(log: ServedLog, accountId: string, rule: Served) {
  if (rule.kind === 'main') {
    logMainServed(log, `AWS account ${accountId}`, accountId);
    return;
  }
  const { description } = rule.source;
  log.logger?.debug(
    `AWS account ${accountId} is served by ${
      description.configPath
    } (${kindWords(description.kind)})${
      description.roleSessionName
        ? ` as role session ${description.roleSessionName}`
        : ''
    }`,
    {
      ...(log.pluginId && { plugin: log.pluginId }),
      accountId,
      source: description.kind,
      roleArn: description.roleArn,
      roleSessionName: description.roleSessionName,
    },
  );
}

/** The debug line of a provider that the main account's credentials serve. */
export function logMainServed(
  log: ServedLog,
  subject: string,
  accountId: string | undefined,
) {
  const { kind, configPath } = log.root.accounts.main.description;
  log.logger?.debug(
    `${subject} is served by ${configPath} (${kindWords(kind)})`,
    {
      ...(log.pluginId && { plugin: log.pluginId }),
      ...(accountId && { accountId }),
      source: kind,
    },
  );
}
