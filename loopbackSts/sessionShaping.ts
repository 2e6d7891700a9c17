import { KnownKey, RoleSessionContext } from './keys';
import { StsError } from './protocol';
import { StsCall } from './types';

/*
 * What STS checks of the parameters that shape a session beyond its role
 * (session policies, source identity, transitive tags) and of role
 * chaining, from the AssumeRole API reference: the loopback STS refuses
 * what STS would refuse, so tests see what STS would see.
 */

const MAX_POLICY_LENGTH = 2048;
const MAX_POLICY_ARNS = 10;
/** Role chaining limits a session to one hour. */
const MAX_CHAINED_DURATION_SECONDS = 3600;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

function validationError(message: string): StsError {
  return new StsError(400, 'ValidationError', message);
}

/** `Name.member.N[.suffix]` values, in N order. */
function members(
  params: Record<string, string>,
  name: string,
  suffix = '',
): string[] {
  const pattern = new RegExp(`^${name}\\.member\\.(\\d+)${suffix}$`);
  return Object.keys(params)
    .map(key => [pattern.exec(key), key] as const)
    .filter(([match]) => match)
    .sort(([a], [b]) => Number(a![1]) - Number(b![1]))
    .map(([, key]) => params[key]);
}

/**
 * The shaping parameters of a request, for the record of calls; only
 * those that were sent, so that other calls are recorded as before.
 */
export function shapingOf(
  params: Record<string, string>,
): Pick<
  StsCall,
  'policy' | 'policyArns' | 'sourceIdentity' | 'transitiveTagKeys'
> {
  const policyArns = members(params, 'PolicyArns', '\\.arn');
  const transitiveTagKeys = members(params, 'TransitiveTagKeys');
  return {
    ...(params.Policy !== undefined && { policy: params.Policy }),
    ...(policyArns.length > 0 && { policyArns }),
    ...(params.SourceIdentity !== undefined && {
      sourceIdentity: params.SourceIdentity,
    }),
    ...(transitiveTagKeys.length > 0 && { transitiveTagKeys }),
  };
}

/** STS's checks of Policy, PolicyArns and SourceIdentity on their own. */
function checkParameters(call: StsCall, packedPolicyLimit: number) {
  const { policy, policyArns = [], sourceIdentity } = call;
  if (policy !== undefined) {
    if (policy.length > MAX_POLICY_LENGTH) {
      throw validationError(
        `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${MAX_POLICY_LENGTH}`,
      );
    }
    try {
      JSON.parse(policy);
    } catch {
      throw new StsError(
        400,
        'MalformedPolicyDocument',
        'The policy is not in the valid JSON format.',
      );
    }
  }
  if (policyArns.length > MAX_POLICY_ARNS) {
    throw validationError(
      `1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_POLICY_ARNS}`,
    );
  }
  if (sourceIdentity !== undefined && !SOURCE_IDENTITY.test(sourceIdentity)) {
    throw validationError(
      `1 validation error detected: Value '${sourceIdentity}' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  // STS packs policies and tags together; a test may set a small limit.
  const packed =
    (policy?.length ?? 0) +
    policyArns.join('').length +
    Object.entries(call.tags).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (packed > packedPolicyLimit) {
    throw new StsError(
      400,
      'PackedPolicyTooLarge',
      `Packed policy consumes ${Math.ceil(
        (packed / packedPolicyLimit) * 100,
      )}% of allotted space, please use smaller policy for session.`,
    );
  }
}

/**
 * Checks an AssumeRole against the session that signs it (a role session
 * makes it role chaining) and returns the context of the new session:
 * the source identity it carries and the transitive tags it passes on.
 */
export function checkSessionShaping(
  call: StsCall,
  signer: KnownKey | undefined,
  packedPolicyLimit: number,
): RoleSessionContext {
  checkParameters(call, packedPolicyLimit);
  const chained = signer?.session;
  const duration = call.params.DurationSeconds;
  if (chained && duration && Number(duration) > MAX_CHAINED_DURATION_SECONDS) {
    throw validationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  const inherited = chained?.sourceIdentity;
  if (
    inherited !== undefined &&
    call.sourceIdentity !== undefined &&
    call.sourceIdentity !== inherited
  ) {
    throw validationError(
      `The source identity of a role chain cannot be changed: the calling session has source identity '${inherited}', and the request asks for '${call.sourceIdentity}'.`,
    );
  }
  const tagKeys = new Set(Object.keys(call.tags).map(k => k.toLowerCase()));
  for (const key of call.transitiveTagKeys ?? []) {
    if (!tagKeys.has(key.toLowerCase())) {
      throw validationError(
        `The transitive tag key ${key} is not one of the session tags of the request.`,
      );
    }
  }
  const transitive = chained?.transitiveTags ?? {};
  for (const key of Object.keys(call.tags)) {
    const same = Object.keys(transitive).find(
      k => k.toLowerCase() === key.toLowerCase(),
    );
    if (same !== undefined) {
      throw new StsError(
        400,
        'InvalidParameterValue',
        `The session tag ${key} cannot be set: the calling session passes on the transitive tag ${same}, which a later session in the chain cannot override.`,
      );
    }
  }
  const passedOn = new Set(
    (call.transitiveTagKeys ?? []).map(k => k.toLowerCase()),
  );
  return {
    sourceIdentity: call.sourceIdentity ?? inherited,
    transitiveTags: {
      ...transitive,
      ...Object.fromEntries(
        Object.entries(call.tags).filter(([k]) =>
          passedOn.has(k.toLowerCase()),
        ),
      ),
    },
  };
}
