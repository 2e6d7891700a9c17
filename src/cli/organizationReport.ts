import type { AwsAccountListing, AwsIntegrationConfig } from '../types';
import { errorCodeOf, fixFor } from './fixes';
import {
  AccountRow,
  OrganizationAccountRow,
  OrganizationReport,
} from './types';

/** The organization part of the report, before any listing. */
export function organizationReport(
  config: AwsIntegrationConfig,
): OrganizationReport | undefined {
  const organization = config.organization;
  if (!organization) {
    return undefined;
  }
  return {
    configPath: 'aws.organization',
    roleName: organization.roleName,
    ...(organization.listAccountsRoleArn && {
      listAccountsRoleArn: organization.listAccountsRoleArn,
    }),
    listed: false,
    accounts: [],
  };
}

/**
 * Lists the organization through the manager, as a plugin's
 * `listAccounts()` would: allow-lists applied, declared accounts and the
 * main account left to their own rows. A failure is recorded, not thrown.
 */
export async function listOrganization(
  report: OrganizationReport,
  manager: { listAccounts(): Promise<AwsAccountListing[]> },
  config: AwsIntegrationConfig,
): Promise<void> {
  const partition = config.organization?.partition ?? 'aws';
  try {
    const listing = await manager.listAccounts();
    report.accounts = listing
      .filter(account => account.source === 'organization')
      .map(({ source: _, ...account }) => ({
        ...account,
        roleArn: `arn:${partition}:iam::${account.accountId}:role/${report.roleName}`,
      }));
    report.listed = true;
  } catch (error) {
    const code = errorCodeOf(error);
    report.listingError = {
      code,
      message: error instanceof Error ? error.message : String(error),
      fix: fixFor(code),
    };
  }
}

/** The row `probe` takes for a discovered account. */
export function probeRowOf(
  account: OrganizationAccountRow,
  config: AwsIntegrationConfig,
): AccountRow {
  return {
    accountId: account.accountId,
    externalId: Boolean(config.organization?.externalId),
    requested: false,
  };
}

/** Whether the listing and every probed account of it worked. */
export function organizationOk(report: OrganizationReport | undefined) {
  return (
    !report ||
    (!report.listingError && report.accounts.every(a => a.probe?.ok !== false))
  );
}
