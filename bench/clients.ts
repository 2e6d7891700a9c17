import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { REGION } from './implementations';

/** The two ways a plugin hands a manager's provider to an SDK client. */
export type ClientStyle = 'credentials' | 'credentialDefaultProvider';

export function newClient(
  style: ClientStyle,
  provider: AwsCredentialIdentityProvider,
): STSClient {
  return style === 'credentials'
    ? new STSClient({ region: REGION, credentials: provider })
    : new STSClient({
        region: REGION,
        credentialDefaultProvider: () => provider,
      });
}

/** One signed call; checks that STS saw the expected account. */
export async function whoAmI(
  client: STSClient,
  accountId: string,
): Promise<void> {
  const { Account } = await client.send(new GetCallerIdentityCommand({}));
  if (Account !== accountId) {
    throw new Error(`expected account ${accountId}, STS saw ${Account}`);
  }
}
