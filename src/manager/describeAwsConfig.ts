import type { AwsIntegrationConfig } from '../types';
import { CredentialSourceDescription } from './CredentialSource';
import { accountSource, mainAccountSource } from './resolveSource';

/** Where every configured account's credentials come from; no secret. */
export type AwsConfigDescription = {
  mainAccount: CredentialSourceDescription;
  accounts: CredentialSourceDescription[];
  /** How an unlisted account is reached, with `{accountId}` in the role ARN; absent when defaults do not apply. */
  accountDefaults?: CredentialSourceDescription;
};

/**
 * Describes a validated `aws` config with the same precedence the
 * manager uses, for the dev demo and the `check` command.
 */
export function describeAwsConfig(
  config: AwsIntegrationConfig,
  timeoutMs: number,
): AwsConfigDescription {
  const main = mainAccountSource(config.mainAccount, timeoutMs);
  const describe = (
    account: AwsIntegrationConfig['accounts'][number],
    path: string,
  ): CredentialSourceDescription => {
    try {
      return accountSource(account, path, main.key, timeoutMs).description;
    } catch {
      // A partition without a known STS region: described without one.
      return accountSource(
        { ...account, region: account.region ?? 'unknown' },
        path,
        main.key,
        timeoutMs,
      ).description;
    }
  };
  const defaults = config.accountDefaults;
  return {
    mainAccount: main.description,
    accounts: config.accounts.map((a, i) => describe(a, `aws.accounts[${i}]`)),
    ...(defaults.roleName && {
      accountDefaults: describe(
        { ...defaults, accountId: '{accountId}' },
        'aws.accountDefaults',
      ),
    }),
  };
}
