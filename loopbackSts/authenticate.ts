import { KeyStore, KnownKey } from './keys';
import { StsError } from './protocol';
import { SigV4Authorization, signatureMatches } from './signature';
import { ReceivedRequest } from './types';

export interface Credentials {
  /** The Authorization header as sent, if any. */
  header?: string;
  /** The same, parsed; undefined if it is not a whole SigV4 header. */
  auth?: SigV4Authorization;
  /** The x-amz-security-token header, if any. */
  sessionToken?: string;
}

function invalidToken(): StsError {
  return new StsError(
    403,
    'InvalidClientTokenId',
    'The security token included in the request is invalid.',
  );
}

/**
 * Checks who signed a request, as STS does: a known key, its session token
 * (for issued keys), not expired, and a valid SigV4 signature for `sts`
 * (or the service given).
 * Returns the key, or undefined for an unsigned request when `required` is
 * false. Throws the STS error otherwise.
 */
export async function authenticate(
  request: ReceivedRequest,
  credentials: Credentials,
  options: {
    keys: KeyStore;
    now: number;
    required: boolean;
    /** The SigV4 service name the request must be scoped to; default `sts`. */
    service?: string;
  },
): Promise<KnownKey | undefined> {
  const service = options.service ?? 'sts';
  const { header, auth, sessionToken } = credentials;
  if (!header) {
    if (!options.required) {
      return undefined;
    }
    throw new StsError(
      403,
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
    );
  }
  if (!auth) {
    throw new StsError(
      400,
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature parameters, with algorithm AWS4-HMAC-SHA256.',
    );
  }
  const key = options.keys.get(auth.accessKeyId);
  if (!key || key.sessionToken !== sessionToken) {
    throw invalidToken();
  }
  if (key.expiration && key.expiration.getTime() <= options.now) {
    throw new StsError(
      400,
      'ExpiredToken',
      'The security token included in the request is expired',
    );
  }
  if (
    auth.service !== service ||
    auth.terminator !== 'aws4_request' ||
    !auth.signedHeaders.includes('host')
  ) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${service}'.`,
    );
  }
  if (!(await signatureMatches(request, auth, key.secretAccessKey))) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return key;
}
