import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  ServiceFactory,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceMock, createServiceMock } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { accountIdOfLookup } from '../aws/identifiers';
import { awsCredentialsServiceRef } from '../service/awsCredentialsServiceRef';
import {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsService,
} from '../types';

/**
 * An account the mock knows: its ID, and optionally the role and STS
 * region its provider reports.
 *
 * @public
 */
export type AwsCredentialsServiceMockAccount = {
  accountId: string;
  roleArn?: string;
  stsRegion?: string;
};

/**
 * Options of {@link (awsCredentialsServiceMock:function)}.
 *
 * @public
 */
export interface AwsCredentialsServiceMockOptions {
  /** The accounts that resolve; any other account ID is a `NotFoundError`. */
  accounts?: Array<string | AwsCredentialsServiceMockAccount>;
  /** The main account, returned for lookups that name no account. */
  mainAccount?: { accountId?: string };
}

/**
 * The fixed fake credentials the mock hands out for an account, so that a
 * test can assert which account a plugin asked for.
 *
 * @public
 */
export function mockAwsCredentials(accountId: string): AwsCredentialIdentity {
  const id = accountId || 'main';
  return {
    accessKeyId: `MOCKACCESSKEY${id}`,
    secretAccessKey: `mock-secret-access-key-${id}`,
    sessionToken: `mock-session-token-${id}`,
  };
}

function mockProvider(
  account: AwsCredentialsServiceMockAccount,
): AwsCredentialProvider {
  return {
    ...account,
    accountId: account.accountId || undefined,
    // A new object per call, as the real service hands out: SDK clients
    // write on static credentials they are given.
    sdkCredentialProvider: async () => mockAwsCredentials(account.accountId),
  };
}

function createFake(
  options: AwsCredentialsServiceMockOptions = {},
): AwsCredentialsService {
  const main = mockProvider({
    accountId: options.mainAccount?.accountId ?? '',
  });
  const accounts = new Map<string, AwsCredentialProvider>();
  for (const entry of options.accounts ?? []) {
    const account = typeof entry === 'string' ? { accountId: entry } : entry;
    accounts.set(account.accountId, mockProvider(account));
  }
  if (main.accountId) {
    accounts.set(main.accountId, main);
  }

  return {
    async listAccounts() {
      // The main account first (when its ID is given), then the others as declared ones.
      const declared = [...accounts.values()]
        .filter(p => p !== main)
        .map(p => ({ accountId: p.accountId!, source: 'declared' as const }));
      return main.accountId
        ? [{ accountId: main.accountId, source: 'main' as const }, ...declared]
        : declared;
    },
    async getCredentialProvider(opts?: AwsCredentialProviderOptions) {
      // The real manager's parser, so malformed input fails the same way.
      const accountId = accountIdOfLookup(opts ?? {});
      if (accountId === undefined) {
        return main;
      }
      const provider = accounts.get(accountId);
      if (!provider) {
        throw new NotFoundError(
          `There is no AWS integration that matches ${accountId} (awsCredentialsServiceMock knows ${
            [...accounts.keys()].join(', ') || 'no accounts'
          })`,
        );
      }
      return provider;
    },
  };
}

/**
 * A stand-in for the AWS credentials service in plugin tests, in the style
 * of `mockServices`: no AWS and no STS involved.
 *
 * @public
 * @example
 * ```ts
 * await startTestBackend({
 *   features: [
 *     myPlugin,
 *     awsCredentialsServiceMock.factory({ accounts: ['111111111111'] }),
 *   ],
 * });
 * ```
 */
export function awsCredentialsServiceMock(
  options?: AwsCredentialsServiceMockOptions,
): AwsCredentialsService {
  return createFake(options);
}

/**
 * The factory and `ServiceMock` of {@link (awsCredentialsServiceMock:function)}.
 *
 * @public
 */
export namespace awsCredentialsServiceMock {
  /** A service factory that installs the fake in a test backend. */
  export const factory = (
    options?: AwsCredentialsServiceMockOptions,
  ): ServiceFactory<AwsCredentialsService, 'plugin', 'singleton'> =>
    createServiceFactory({
      service: awsCredentialsServiceRef,
      deps: {},
      factory: () => createFake(options),
    });

  /**
   * A `ServiceMock`: `jest.fn()` methods, optionally implemented, and a
   * `.factory` that installs this very mock in a test backend, as
   * `mockServices.rootConfig.mock()` does.
   */
  export const mock: (
    partialImpl?: Partial<AwsCredentialsService>,
  ) => ServiceMock<AwsCredentialsService> = createServiceMock(
    awsCredentialsServiceRef,
    () => ({ getCredentialProvider: jest.fn(), listAccounts: jest.fn() }),
  );
}
