import { withTimeout } from '../cache/withTimeout';
import { callerIdentity, callerRegion } from '../providers/callerIdentity';
import { StsSettings } from '../providers/sts';
import type {
  AwsCredentialProvider,
  AwsCredentialsManager,
  AwsIntegrationConfig,
} from '../types';
import { chainHops } from './chainHops';
import { errorCodeOf, fixFor } from './fixes';
import { AccountRow, ProbeResult } from './types';

/** What a probe needs besides the row. */
export type ProbeContext = {
  manager: AwsCredentialsManager;
  config: AwsIntegrationConfig;
  /** aws.credentialsTimeout: the bound of the GetCallerIdentity call too. */
  timeoutMs: number;
};

/**
 * The region to call GetCallerIdentity in: where the credentials came
 * from for roles, else what the main account or the account's profile
 * says (a China or GovCloud key is only known to its own partition).
 */
async function regionFor(
  row: AccountRow,
  provider: AwsCredentialProvider,
  config: AwsIntegrationConfig,
): Promise<string> {
  if (provider.stsRegion) {
    return provider.stsRegion;
  }
  if (row.accountId === undefined || !row.source) {
    return callerRegion(config.mainAccount); // the main account serves it
  }
  return callerRegion({ profile: row.source.profile });
}

/** STS GetCallerIdentity with the provider's credentials, bounded in time. */
function identityOf(
  provider: AwsCredentialProvider,
  region: string,
  timeoutMs: number,
  sts: StsSettings | undefined,
) {
  return withTimeout(
    abortSignal =>
      callerIdentity({
        credentials: provider.sdkCredentialProvider,
        region,
        timeoutMs,
        abortSignal,
        sts,
      }),
    timeoutMs,
  );
}

function failure(error: unknown, row: AccountRow): ProbeResult {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const hops = chainHops(row.source, error);
  return { ok: false, code, message, fix: fixFor(code), ...(hops && { hops }) };
}

/**
 * Obtains the credentials of one row through the manager, as a plugin
 * would, then asks STS whose they are. Never throws: a failure is the
 * result, with STS's error code and the fix.
 */
export async function probe(
  row: AccountRow,
  context: ProbeContext,
): Promise<ProbeResult> {
  try {
    const provider = await context.manager.getCredentialProvider(
      row.accountId === undefined ? undefined : { accountId: row.accountId },
    );
    const credentials = await provider.sdkCredentialProvider();
    const region = await regionFor(row, provider, context.config);
    const identity = await identityOf(
      provider,
      region,
      context.timeoutMs,
      context.config.sts,
    );
    const expected = row.accountId ?? context.config.mainAccount.accountId;
    if (expected && identity.Account !== expected) {
      return {
        ok: false,
        code: 'AccountMismatch',
        message: `The credentials configured for account ${expected} belong to account ${identity.Account} (${identity.Arn})`,
        fix: fixFor('AccountMismatch'),
      };
    }
    const hops = chainHops(row.source);
    return {
      ok: true,
      ...(hops && { hops }),
      callerArn: identity.Arn ?? '',
      callerAccount: identity.Account ?? '',
      ...(credentials.expiration && {
        expiration: credentials.expiration.toISOString(),
      }),
    };
  } catch (error) {
    return failure(error, row);
  }
}
