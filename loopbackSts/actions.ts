import { createHash, randomBytes } from 'node:crypto';
import { authenticate, Credentials } from './authenticate';
import { KeyStore, RoleSessionContext } from './keys';
import { isoSeconds, resultXml, StsError, xmlElements } from './protocol';
import { checkSessionShaping } from './sessionShaping';
import { ReceivedRequest, StsCall } from './types';

/** The limits of DurationSeconds in STS's own validation. */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43200;

/** What the actions need of the server, read once per request. */
export interface ActionContext {
  keys: KeyStore;
  now: number;
  credentialLifetimeSeconds: number;
  maxSessionDurationSeconds: number;
  packedPolicyLimit: number;
}

// Process-wide so that keys stay unique even across several servers.
let issuedKeyCounter = 0;

/** Answers one call: the XML of its result, or a thrown StsError. */
export async function answerAction(
  context: ActionContext,
  request: ReceivedRequest,
  credentials: Credentials,
  call: StsCall,
  requestId: string,
): Promise<string> {
  const { action, params } = call;
  const auth = (required: boolean) =>
    authenticate(request, credentials, {
      keys: context.keys,
      now: context.now,
      required,
    });
  switch (action) {
    case 'AssumeRole': {
      const signer = (await auth(true))!;
      call.signerArn = signer.identity.arn;
      const session = checkSessionShaping(
        call,
        signer,
        context.packedPolicyLimit,
      );
      return resultXml(action, requestId, assumeRole(context, call, session));
    }
    case 'AssumeRoleWithWebIdentity':
      // Unsigned by design; a signature, if one is sent, must still be valid.
      await auth(false);
      if (!params.WebIdentityToken) {
        throw new StsError(
          400,
          'InvalidIdentityToken',
          'The web identity token is missing or empty',
        );
      }
      return resultXml(
        action,
        requestId,
        assumeRole(
          context,
          call,
          checkSessionShaping(call, undefined, context.packedPolicyLimit),
        ),
      );
    case 'GetCallerIdentity': {
      const { identity } = (await auth(true))!;
      return resultXml(
        action,
        requestId,
        xmlElements({
          UserId: identity.userId,
          Account: identity.account,
          Arn: identity.arn,
        }),
      );
    }
    default:
      throw new StsError(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${
          params.Version ?? ''
        }`,
      );
  }
}

interface RoleArn {
  partition: string;
  account: string;
  roleName: string;
}

function parseRoleArn(roleArn: string): RoleArn | undefined {
  // arn:{partition}:iam::{account}:role/{optional/path/}{name}
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    roleArn,
  );
  return match
    ? { partition: match[1], account: match[2], roleName: match[3] }
    : undefined;
}

/** STS's checks of the parameters both AssumeRole actions share. */
function validateAssumeRole(
  params: Record<string, string>,
  maxSessionDurationSeconds: number,
): RoleArn {
  const { RoleArn: roleArn, RoleSessionName: sessionName } = params;
  if (!roleArn || !sessionName) {
    const missing = !roleArn ? 'roleArn' : 'roleSessionName';
    throw new StsError(
      400,
      'ValidationError',
      `1 validation error detected: Value null at '${missing}' failed to satisfy constraint: Member must not be null`,
    );
  }
  const role = parseRoleArn(roleArn);
  if (!role) {
    throw new StsError(400, 'ValidationError', `${roleArn} is invalid`);
  }
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new StsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  if (params.DurationSeconds !== undefined) {
    const duration = Number(params.DurationSeconds);
    if (
      !Number.isInteger(duration) ||
      duration < MIN_DURATION_SECONDS ||
      duration > MAX_DURATION_SECONDS
    ) {
      throw new StsError(
        400,
        'ValidationError',
        `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}`,
      );
    }
    if (duration > maxSessionDurationSeconds) {
      throw new StsError(
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
  }
  return role;
}

/** Issues session keys for the role; returns the inner XML of the result. */
function assumeRole(
  context: ActionContext,
  call: StsCall,
  session: RoleSessionContext,
): string {
  const { params } = call;
  const role = validateAssumeRole(params, context.maxSessionDurationSeconds);
  const sessionName = params.RoleSessionName;
  const roleId = `AROA${createHash('sha256')
    .update(params.RoleArn)
    .digest('hex')
    .slice(0, 17)
    .toUpperCase()}`;
  const assumedRoleId = `${roleId}:${sessionName}`;
  const assumedRoleArn = `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`;

  issuedKeyCounter += 1;
  const accessKeyId = `ASIA${issuedKeyCounter
    .toString(36)
    .toUpperCase()
    .padStart(16, '0')}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`;
  // Whole seconds, as STS reports them.
  const expiration = new Date(
    Math.floor(context.now / 1000) * 1000 +
      context.credentialLifetimeSeconds * 1000,
  );
  context.keys.set(accessKeyId, {
    secretAccessKey,
    sessionToken,
    expiration,
    identity: {
      account: role.account,
      arn: assumedRoleArn,
      userId: assumedRoleId,
    },
    session,
  });
  call.issuedAccessKeyId = accessKeyId;

  const credentials = `<Credentials>${xmlElements({
    AccessKeyId: accessKeyId,
    SecretAccessKey: secretAccessKey,
    SessionToken: sessionToken,
    Expiration: isoSeconds(expiration),
  })}</Credentials>`;
  const assumedRoleUser = `<AssumedRoleUser>${xmlElements({
    AssumedRoleId: assumedRoleId,
    Arn: assumedRoleArn,
  })}</AssumedRoleUser>`;

  if (call.action === 'AssumeRole') {
    return `${assumedRoleUser}${credentials}${xmlElements({
      SourceIdentity: session.sourceIdentity,
    })}`;
  }
  const claims = decodeJwtClaims(params.WebIdentityToken) ?? {};
  return `${credentials}${xmlElements({
    SubjectFromWebIdentityToken: claimString(claims.sub) ?? 'test-subject',
  })}${assumedRoleUser}${xmlElements({
    Provider: claimString(claims.iss) ?? 'test-provider',
    Audience: claimString(claims.aud) ?? 'sts.amazonaws.com',
    SourceIdentity: params.SourceIdentity,
  })}`;
}

function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const claims = JSON.parse(
      Buffer.from(parts[1], 'base64url').toString('utf8'),
    );
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

function claimString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && typeof value[0] === 'string') {
    return value[0];
  }
  return undefined;
}
