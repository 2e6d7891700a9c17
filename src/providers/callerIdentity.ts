import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ForwardedError } from '@backstage/errors';
import { safeCause } from '../aws/safeCause';
import { sdk } from '../aws/sdk';
import type { AwsIntegrationMainAccountConfig } from '../types';
import { StsSettings, stsClientConfig, stsEndpointOf } from './sts';

/**
 * The region to ask STS in about the main account: `mainAccount.region`,
 * else the one the SDK resolves (AWS_REGION, the profile), else us-east-1.
 * A China or GovCloud main account is only known to its own partition.
 */
export async function callerRegion(
  main: AwsIntegrationMainAccountConfig,
): Promise<string> {
  if (main.region) {
    return main.region;
  }
  const { STSClient } = sdk.clientSts();
  const probe = new STSClient({ profile: main.profile });
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1'; // the SDK found none
  } finally {
    probe.destroy();
  }
}

/**
 * Who owns `credentials`, through STS GetCallerIdentity in `region` at the
 * endpoint `sts` (`aws.sts`) selects. A failure names that endpoint; the
 * signal stops the call and its retries.
 */
export async function callerIdentity(options: {
  credentials: AwsCredentialIdentityProvider;
  region: string;
  timeoutMs: number;
  abortSignal: AbortSignal;
  sts?: StsSettings;
}): Promise<{ Account?: string; Arn?: string; UserId?: string }> {
  const { credentials, region, timeoutMs, abortSignal, sts = {} } = options;
  const { GetCallerIdentityCommand, STSClient } = sdk.clientSts();
  const { stsConfig, destroy } = stsClientConfig(
    region,
    timeoutMs,
    abortSignal,
    sts,
  );
  const client = new STSClient({ ...stsConfig, credentials });
  try {
    return await client.send(new GetCallerIdentityCommand({}), {
      abortSignal,
    });
  } catch (error) {
    throw new ForwardedError(
      `STS GetCallerIdentity in ${region} at ${stsEndpointOf(
        region,
        sts,
      )} failed`,
      safeCause(error), // the SDK's error holds the signed request
    );
  } finally {
    client.destroy();
    destroy();
  }
}

/** The main account's ID, through {@link callerIdentity} in its region. */
export async function callerAccountId(
  credentials: AwsCredentialIdentityProvider,
  main: AwsIntegrationMainAccountConfig,
  timeoutMs: number,
  abortSignal: AbortSignal,
  sts: StsSettings = {},
): Promise<string> {
  const { Account } = await callerIdentity({
    credentials,
    region: await callerRegion(main),
    timeoutMs,
    abortSignal,
    sts,
  });
  if (!Account) {
    throw new Error('STS GetCallerIdentity returned no account');
  }
  return Account;
}
