import type { Config } from '@backstage/config';
import {
  AwsIntegrationAccountConfig,
  AwsIntegrationDefaultAccountConfig,
  readAwsIntegrationConfig,
} from '../src';
import { mainAccountKind } from '../src/providers/accountProviders';
import { defaultStsRegion, roleArnOf } from '../src/providers/sts';

/** Where one account's credentials come from, without any secret. */
export type AccountDescription = {
  accountId: string;
  kind: 'static keys' | 'profile' | 'default chain' | 'role' | 'web identity';
  profile?: string;
  roleArn?: string;
  stsRegion?: string;
  /** For a role: what signs the AssumeRole call. */
  assumedWith?: "the account's own keys" | "the main account's credentials";
  webIdentityTokenFile?: string;
};

/** The `aws` config as `GET /accounts` shows it. */
export type AwsConfigDescription = {
  mainAccount: {
    accountId: string | null;
    kind: 'static keys' | 'profile' | 'default chain';
    profile?: string;
    stsRegion?: string;
  };
  accounts: AccountDescription[];
  accountDefaults: {
    apply: boolean;
    kind?: 'role' | 'web identity';
    roleName?: string;
    partition?: string;
    stsRegion?: string;
  };
};

/**
 * Describes the `aws` block of the root config: kinds, role ARNs and
 * regions. Keys, secrets, external IDs and tokens are never copied out.
 */
export function describeAwsConfig(config: Config): AwsConfigDescription {
  const awsConfig = config.getOptionalConfig('aws');
  const { mainAccount, accounts, accountDefaults } = awsConfig
    ? readAwsIntegrationConfig(awsConfig)
    : { mainAccount: {}, accounts: [], accountDefaults: {} };

  return {
    mainAccount: {
      accountId: mainAccount.accountId ?? null,
      kind: mainAccountKind(mainAccount),
      ...(mainAccount.profile && { profile: mainAccount.profile }),
      ...(mainAccount.region && { stsRegion: mainAccount.region }),
    },
    accounts: accounts.map(describeAccount),
    accountDefaults: describeDefaults(accountDefaults),
  };
}

/** The same order of precedence as the package's account providers. */
function describeAccount(
  account: AwsIntegrationAccountConfig,
): AccountDescription {
  const { accountId, roleName, partition } = account;
  if (!roleName) {
    if (account.accessKeyId && account.secretAccessKey) {
      return { accountId, kind: 'static keys' };
    }
    if (account.profile) {
      return { accountId, kind: 'profile', profile: account.profile };
    }
    return { accountId, kind: 'default chain' };
  }
  const roleArn = roleArnOf(accountId, roleName, partition);
  const stsRegion = account.region ?? defaultStsRegion(partition);
  if (account.webIdentityTokenFile) {
    return {
      accountId,
      kind: 'web identity',
      roleArn,
      stsRegion,
      webIdentityTokenFile: account.webIdentityTokenFile,
    };
  }
  return {
    accountId,
    kind: 'role',
    roleArn,
    stsRegion,
    assumedWith:
      account.accessKeyId && account.secretAccessKey
        ? "the account's own keys"
        : "the main account's credentials",
  };
}

function describeDefaults(
  defaults: AwsIntegrationDefaultAccountConfig,
): AwsConfigDescription['accountDefaults'] {
  if (!defaults.roleName) {
    return { apply: false };
  }
  return {
    apply: true,
    kind: defaults.webIdentityTokenFile ? 'web identity' : 'role',
    roleName: defaults.roleName,
    partition: defaults.partition ?? 'aws',
    stsRegion: defaults.region ?? defaultStsRegion(defaults.partition),
  };
}
