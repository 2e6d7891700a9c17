import { createHash } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { InputError } from '@backstage/errors';
import type { AwsIntegrationAccountConfig } from '../types';
import {
  CredentialSourceDescription,
  Fetch,
  SourceContext,
} from './CredentialSource';
import { StsSettings, hasStsSettings } from './sts';

/** One account's source of credentials, resolved from its config. */
export type ResolvedSource = {
  description: CredentialSourceDescription;
  /**
   * Identifies the session: sources with equal keys share one cache entry,
   * across reloads too. A hash, so it holds no secret in clear.
   */
  key: string;
  /**
   * Builds the fetch; `signer` signs its AssumeRole: the cached session of
   * `signedBy`, else the main account's credentials.
   */
  createFetch(
    context: SourceContext,
    signer: AwsCredentialIdentityProvider,
  ): Fetch;
  /** The source whose session signs this one's (a role chain's previous hop). */
  signedBy?: ResolvedSource;
};

/**
 * A source whose key is hashed at its first use, not when it is resolved:
 * `fromConfig` and the start-up log line never pay for a hash.
 */
export function resolved(
  description: CredentialSourceDescription,
  keyParts: unknown[],
  createFetch: ResolvedSource['createFetch'],
  signedBy?: ResolvedSource,
): ResolvedSource {
  let key: string | undefined;
  return {
    description,
    createFetch,
    ...(signedBy && { signedBy }),
    get key() {
      // A signer's key is part of the key: sessions differ with their signer.
      key ??= createHash('sha256')
        .update(
          JSON.stringify(signedBy ? [...keyParts, signedBy.key] : keyParts),
        )
        .digest('hex');
      return key;
    },
  };
}

/**
 * `aws.sts` as part of a session key (a reload that changes it refreshes
 * every source that may call STS), and of a description when set.
 */
export function stsParts(sts: StsSettings) {
  return {
    key: [sts.endpoint ?? null, sts.useFipsEndpoint ?? null],
    description: hasStsSettings(sts) ? { sts: { ...sts } } : {},
  };
}

/**
 * A fetch that fails at first use because nobody knows the STS region of
 * the role's partition: the config said a partition newer than the SDK.
 */
export function unknownStsRegion(
  config: AwsIntegrationAccountConfig,
  configPath: string,
): Fetch {
  return async () => {
    throw new InputError(
      `${configPath}.partition '${config.partition}' is not a partition this AWS SDK knows, so its STS region is unknown; set ${configPath}.region, or update the @aws-sdk packages`,
    );
  };
}
