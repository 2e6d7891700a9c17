import { NotFoundError } from '@backstage/errors';
import type { OrganizationDirectory } from './OrganizationDirectory';

/**
 * An account that the organization's last listing does not have, and that
 * neither an entry nor the account defaults serve. It keeps the original
 * package's opening phrase, so searches and alerts written for it match.
 */
export function notInOrganization(
  accountId: string,
  organization: OrganizationDirectory,
): NotFoundError {
  const listed = organization.snapshot?.accounts.size ?? 0;
  const scope = organization.config.organizationalUnitIds
    ? ' under aws.organization.organizationalUnitIds'
    : '';
  const tags = organization.config.accountTags
    ? ' with aws.organization.accountTags'
    : '';
  return new NotFoundError(
    `There is no AWS integration that matches ${accountId}: it is not one of the ${listed} ACTIVE accounts of the AWS organization${scope}${tags} (aws.organization) at its last listing. Add it to aws.accounts, or set aws.accountDefaults.roleName to reach accounts outside the organization.`,
  );
}
