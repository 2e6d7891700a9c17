import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { sdk } from '../aws/sdk';
import type { AwsIntegrationMainAccountConfig } from '../types';
import { stsClientConfig } from './sts';

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

/** The account that owns `credentials`, through STS GetCallerIdentity. */
export async function callerAccountId(
  credentials: AwsCredentialIdentityProvider,
  main: AwsIntegrationMainAccountConfig,
  timeoutMs: number,
  abortSignal: AbortSignal,
): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = sdk.clientSts();
  const { clientConfig, destroy } = stsClientConfig(
    await callerRegion(main),
    timeoutMs,
    abortSignal,
  );
  const client = new STSClient({ ...clientConfig, credentials });
  try {
    const { Account } = await client.send(new GetCallerIdentityCommand({}), {
      abortSignal,
    });
    if (!Account) {
      throw new Error('STS GetCallerIdentity returned no account');
    }
    return Account;
  } finally {
    client.destroy();
    destroy();
  }
}
