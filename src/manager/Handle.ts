import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import type { AwsCredentialProvider } from '../types';
import type { HeldAccount } from './CredentialsRoot';

/** What a provider handed out says of its account. */
export type ProviderFields = {
  accountId?: string;
  stsRegion?: string;
  roleArn?: string;
};

type Call = (
  handle: Handle,
  identityProperties?: Record<string, unknown>,
) => Promise<AwsCredentialIdentity>;

/**
 * A provider that a view handed out, and what its calls need: the cached
 * session it uses, linked at its first call, and, for an account reached
 * through account defaults, its place among the accounts the root holds.
 * Kept small: a backend holds thousands of them.
 */
export class Handle implements HeldAccount {
  newer?: Handle;
  older?: Handle;
  /** Reached through account defaults, so counted against the root's bound. */
  held = false;
  /** The cached session its calls use; undefined until linked, and after a reload that changes it or an eviction. */
  session?: AwsCredentialIdentityProvider;
  /** The key of `session` if it is the account's own; the main account's is never released. */
  sessionKey?: string;
  readonly provider: AwsCredentialProvider;
  /** `provider`, settled, so that a warm lookup allocates nothing. */
  readonly settled: Promise<AwsCredentialProvider>;

  constructor(
    /** The account's ID; MAIN_OWNER for the main account. */
    readonly accountId: string,
    fields: ProviderFields,
    call: Call,
    private readonly onEvicted: (handle: Handle) => void,
  ) {
    // Only the fields that have a value, in the original's order.
    const provider = {} as AwsCredentialProvider;
    if (fields.accountId !== undefined) {
      provider.accountId = fields.accountId;
    }
    if (fields.stsRegion !== undefined) {
      provider.stsRegion = fields.stsRegion;
    }
    if (fields.roleArn !== undefined) {
      provider.roleArn = fields.roleArn;
    }
    provider.sdkCredentialProvider = identityProperties =>
      call(this, identityProperties);
    this.provider = provider;
    this.settled = Promise.resolve(provider);
  }

  /**
   * Brings the provider's fields in line with the config in force, on the
   * object a plugin may hold.
   */
  describe(fields: ProviderFields): void {
    const provider = this.provider as Record<string, unknown>;
    for (const key of ['accountId', 'stsRegion', 'roleArn'] as const) {
      const value = fields[key];
      if (value !== undefined) {
        provider[key] = value;
      } else if (key in provider) {
        delete provider[key];
      }
    }
  }

  evicted(): void {
    this.onEvicted(this);
  }
}
