/** The STS actions the loopback STS answers. */
export type StsAction =
  | 'AssumeRole'
  | 'AssumeRoleWithWebIdentity'
  | 'GetCallerIdentity';

/** One request as the loopback STS received it. */
export interface StsCall {
  action: StsAction | string;
  /** From the Authorization header's Credential (undefined for unsigned requests). */
  accessKeyId?: string;
  /** The region in the SigV4 credential scope. */
  region?: string;
  /** The decoded form and query parameters (Action and Version included). */
  params: Record<string, string>;
  /** The session tags (`Tags.member.N.Key` / `.Value`), by key; empty if none. */
  tags: Record<string, string>;
  /** The x-amz-security-token header, if any. */
  sessionToken?: string;
  /** `Policy`, when sent. */
  policy?: string;
  /** `PolicyArns.member.N.arn`, in N order, when sent. */
  policyArns?: string[];
  /** `SourceIdentity`, when sent. */
  sourceIdentity?: string;
  /** `TransitiveTagKeys.member.N`, in N order, when sent. */
  transitiveTagKeys?: string[];
  /** For a role assumed: whose key signed it, as GetCallerIdentity names it. */
  signerArn?: string;
  /** For a role assumed: the access key ID of the session issued. */
  issuedAccessKeyId?: string;
}

/**
 * What an injected fault does to a request: answer with this STS error,
 * never answer (`hang`), or drop the connection (`close`).
 */
export type StsFault =
  | { status: number; code: string; message?: string }
  | 'hang'
  | 'close';

/** Who a key belongs to, as GetCallerIdentity reports it. */
export interface StsIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface LoopbackStsOptions {
  /** Expiration of issued credentials = now + this; default 3600. */
  credentialLifetimeSeconds?: number;
  /** Delay before each answer; default 0. */
  delayMs?: number;
  /**
   * The MaxSessionDuration of every role: a `DurationSeconds` above it is
   * refused, as STS does; default 43200 (the most STS allows).
   */
  maxSessionDurationSeconds?: number;
  /** The record of calls keeps the latest this many; default 10,000. */
  maxRecordedCalls?: number;
  /**
   * Issued keys are forgotten this long after they expire (until then they
   * are refused as expired; afterwards as unknown); default 3600.
   */
  forgetExpiredKeysAfterSeconds?: number;
  /**
   * The packed size (characters of Policy, PolicyArns and tags) above
   * which AssumeRole fails with PackedPolicyTooLarge; default unlimited.
   */
  packedPolicyLimit?: number;
  /** The clock of expirations, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/** The request as it came off the wire, for signature checks. */
export interface ReceivedRequest {
  method: string;
  /** The request target: path and query, as sent. */
  url: string;
  /** Alternating names and values, as node's `IncomingMessage.rawHeaders`. */
  rawHeaders: string[];
  body: Buffer;
}
