import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ConfiguredAccounts } from '../../manager/ConfiguredAccounts';
import { OrganizationMetrics } from '../../metrics/organizationMetrics';
import type { ResolvedSource } from '../../providers/resolveSource';
import { listingRoleSource } from './listingRoleSource';
import { OrganizationDirectory } from './OrganizationDirectory';

/** The cache owner name of the organization listing role's session. */
export const LISTING_OWNER = '#organization-listing';

/** What a directory needs of the root that owns it. */
export type OrganizationHost = {
  /** The config in force, read at each call: a reload may replace it. */
  accounts(): ConfiguredAccounts;
  /** The root's cached provider of a source, held by `owner`. */
  cached(source: ResolvedSource, owner: string): AwsCredentialIdentityProvider;
  /** The cache owner name of the main account. */
  mainOwner: string;
  logger?: LoggerService;
  /** Told when a listing drops accounts: their handles must be checked. */
  onDeparted(): void;
};

/**
 * Starts listing the organization of a config that has `aws.organization`,
 * signed by the listing role's cached session or the main account's
 * credentials; undefined for a config without one.
 */
export function startOrganization(
  accounts: ConfiguredAccounts,
  host: OrganizationHost,
): OrganizationDirectory | undefined {
  const { organization, sts } = accounts.config;
  if (!organization) {
    return undefined;
  }
  const roleArn = organization.listAccountsRoleArn;
  // Looked up at each call: the cache entry may be replaced by a reload.
  const credentials: AwsCredentialIdentityProvider = roleArn
    ? p =>
        host.cached(
          listingRoleSource({
            roleArn,
            mainKey: host.accounts().main.key,
            timeoutMs: accounts.timeoutMs,
            sts,
          }),
          LISTING_OWNER,
        )(p)
    : p => host.cached(host.accounts().main, host.mainOwner)(p);
  const directory = new OrganizationDirectory({
    config: organization,
    credentials,
    timeoutMs: accounts.timeoutMs,
    logger: host.logger,
    onListing: new OrganizationMetrics().record,
    onDeparted: () => host.onDeparted(),
  });
  directory.start();
  return directory;
}
