import type {
  AwsCredentialProvider as OriginalProvider,
  AwsCredentialProviderOptions as OriginalOptions,
  AwsCredentialsManager as OriginalManager,
} from '@backstage/integration-aws-node';
import { ConfigReader } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from './index';

/** Compiles only if A is assignable to B; `npm test` runs tsc over this file. */
type Assignable<A, B> = [A] extends [B] ? true : false;
const checks: [
  Assignable<DefaultAwsCredentialsManager, OriginalManager>,
  Assignable<AwsCredentialsManager, OriginalManager>,
  Assignable<OriginalManager, AwsCredentialsManager>,
  Assignable<AwsCredentialProvider, OriginalProvider>,
  Assignable<OriginalOptions, AwsCredentialProviderOptions>,
] = [true, true, true, true, true];

/** What the catalog S3 provider, Kubernetes AWS auth and TechDocs accept. */
function usedByAPlugin(manager: OriginalManager) {
  return manager.getCredentialProvider({ accountId: '111111111111' });
}

describe('compatibility with @backstage/integration-aws-node', () => {
  it('is accepted where the original manager is expected', async () => {
    expect(checks.every(Boolean)).toBe(true);
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        aws: {
          accounts: [
            {
              accountId: '111111111111',
              accessKeyId: 'AKIACOMPAT',
              secretAccessKey: 'compat-secret',
            },
          ],
        },
      }),
    );
    const provider: OriginalProvider = await usedByAPlugin(manager);
    await expect(provider.sdkCredentialProvider()).resolves.toEqual({
      accessKeyId: 'AKIACOMPAT',
      secretAccessKey: 'compat-secret',
    });
  });
});
