import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager as OriginalManager } from '@backstage/integration-aws-node';
import { MAIN } from '../loopbackSts';
import {
  DefaultAwsCredentialsManager as OurManager,
  awsCredentialsServiceFactory,
} from '../src';

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

/**
 * What plugins of one backend get from our service: the views of the
 * exported `awsCredentialsServiceFactory` for `pluginIds`, over one root
 * context (so one shared cache), each with its plugin's metadata, logger
 * and auditor. Built by `ServiceFactoryTester` of
 * @backstage/backend-test-utils, which runs the factory as a backend does
 * (it needs no jest for this), with `{ aws }` as the root config.
 */
export async function pluginViews(
  aws: Record<string, unknown>,
  pluginIds: string[],
): Promise<Manager[]> {
  const tester = ServiceFactoryTester.from(awsCredentialsServiceFactory, {
    dependencies: [mockServices.rootConfig.factory({ data: { aws } as any })],
  });
  const views: Manager[] = [];
  for (const pluginId of pluginIds) {
    views.push(await tester.getSubject(pluginId));
  }
  return views;
}

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
