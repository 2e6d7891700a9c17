import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { sdk } from './sdk';
import { stsClientConfig } from './sts';

/** The account that owns `credentials`, through STS GetCallerIdentity. */
export async function callerAccountId(
  credentials: AwsCredentialIdentityProvider,
  region: string,
  timeoutMs: number,
): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = sdk.clientSts();
  const client = new STSClient({
    ...stsClientConfig(region, timeoutMs),
    credentials,
  });
  try {
    const { Account } = await client.send(new GetCallerIdentityCommand({}));
    if (!Account) {
      throw new Error('STS GetCallerIdentity returned no account');
    }
    return Account;
  } finally {
    client.destroy();
  }
}
