import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { stsClientConfig } from './sts';

/** The account that owns `credentials`, through STS GetCallerIdentity. */
export async function callerAccountId(
  credentials: AwsCredentialIdentityProvider,
  region: string,
  timeoutMs: number,
): Promise<string> {
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
