import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager as OriginalManager } from '@backstage/integration-aws-node';
import { MAIN } from '../loopbackSts';
import { DefaultAwsCredentialsManager as OurManager } from '../src';

/** The lookups both packages answer. */
export type LookupOptions = { accountId?: string; arn?: string };

/** What the bench uses of a manager: the part both packages share. */
export interface Manager {
  getCredentialProvider(
    opts?: LookupOptions,
  ): Promise<{ sdkCredentialProvider: AwsCredentialIdentityProvider }>;
}

export type Impl = {
  name: 'ours' | 'original';
  /** A fresh manager from the contents of the `aws` config block. */
  make(aws: Record<string, unknown>): Manager;
};

/** This package. */
export const OURS: Impl = {
  name: 'ours',
  make: aws => OurManager.fromConfig(new ConfigReader({ aws } as any)),
};

/** @backstage/integration-aws-node, the package this one replaces. */
export const ORIGINAL: Impl = {
  name: 'original',
  make: aws => OriginalManager.fromConfig(new ConfigReader({ aws } as any)),
};

export const REGION = 'us-east-1';
const ROLE = 'bench-role';

const mainAccount = {
  accessKeyId: MAIN.accessKeyId,
  secretAccessKey: MAIN.secretAccessKey,
};

/** How the accounts of a workload are configured and looked up. */
export type AccountKind = 'declared' | 'defaults';

/** The label of an account kind in the report. */
export const KIND_LABEL: Record<AccountKind, string> = {
  declared: 'aws.accounts by ID',
  defaults: 'accountDefaults by ARN',
};

/** Every account in `aws.accounts`, each with the bench's role. */
export function declaredConfig(accountIds: string[]) {
  return {
    mainAccount,
    accounts: accountIds.map(accountId => ({ accountId, roleName: ROLE })),
  };
}

/** No account declared: any account is reached through `accountDefaults`. */
export function defaultsConfig() {
  return { mainAccount, accountDefaults: { roleName: ROLE } };
}

/** The config for `kind` with these accounts. */
export function configFor(kind: AccountKind, accountIds: string[]) {
  return kind === 'declared' ? declaredConfig(accountIds) : defaultsConfig();
}

/**
 * The lookup of one account as `kind` does it: by ID, or by the `n`th
 * resource ARN in it.
 */
export function lookupOf(
  kind: AccountKind,
  accountId: string,
  n: number,
): LookupOptions {
  return kind === 'declared' ? { accountId } : { arn: arnOf(accountId, n) };
}

/** The ARN of the `n`th queue of an account. */
export function arnOf(accountId: string, n: number): string {
  return `arn:aws:sqs:${REGION}:${accountId}:queue-${n}`;
}
