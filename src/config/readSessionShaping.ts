import { JsonObject, JsonValue } from '@backstage/config';
import type { AwsRoleChainHopConfig } from '../types';
import { checkKnownKeys, isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import { readSessionNameTemplate, refused } from './roleSessionName';

/** The keys that shape a session beyond its role, on a block with a role. */
export const SHAPING_KEYS = [
  'assumeRoleChain',
  'sessionPolicy',
  'sessionPolicyArns',
  'sourceIdentity',
] as const;

/** Those of them a plugin may set for all its sessions (`aws.plugins.<id>`). */
export const PLUGIN_SHAPING_KEYS = [
  'sessionPolicy',
  'sessionPolicyArns',
  'sourceIdentity',
] as const;

/** What {@link readSessionShaping} reads. */
export type SessionShaping = {
  assumeRoleChain?: AwsRoleChainHopConfig[];
  /** Compact JSON, as it is sent to STS. */
  sessionPolicy?: string;
  sessionPolicyArns?: string[];
  /** A template that may contain `{pluginId}`. */
  sourceIdentity?: string;
};

/** STS's limits (AssumeRole API reference). */
export const MAX_POLICY_LENGTH = 2048;
export const MAX_POLICY_ARNS = 10;
/** Role chaining limits a session to one hour. */
export const MAX_CHAINED_DURATION_SECONDS = 3600;

/** `arn:{partition}:iam::{account}:role/{path/}{name}` */
const ROLE_ARN =
  /^arn:[a-z][a-z0-9-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** A managed policy: an account's, or AWS's own (`iam::aws:policy/...`). */
const POLICY_ARN =
  /^arn:[a-z][a-z0-9-]*:iam::(?:\d{12}|aws):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
/**
 * What STS takes in a policy document: printable ASCII (and tab, LF, CR,
 * which compact JSON escapes).
 */
const POLICY_CHARACTER = /[ -~]/;
const HOP_KEYS = ['roleArn', 'externalId'];

/** Whether a block sets any of these keys; most set none. */
export function hasSessionShaping(block: JsonObject): boolean {
  return SHAPING_KEYS.some(key => block[key] !== undefined);
}

/**
 * Reads those of `keys` that shape a session from `block` (an account,
 * account defaults, a plugin's settings, or any other block that yields
 * accounts), leaving out what is absent. Each problem names its key path.
 */
export function readSessionShaping(
  block: JsonObject,
  keys: readonly string[],
  path: string,
  problems: Problems,
): SessionShaping {
  const shaping: SessionShaping = {};
  const has = (key: (typeof SHAPING_KEYS)[number]) =>
    keys.includes(key) && block[key] !== undefined && block[key] !== null;
  if (has('assumeRoleChain')) {
    const chain = readChain(
      block.assumeRoleChain,
      `${path}.assumeRoleChain`,
      problems,
    );
    if (chain) {
      shaping.assumeRoleChain = chain;
    }
  }
  if (has('sessionPolicy')) {
    const policy = readPolicy(
      block.sessionPolicy!,
      `${path}.sessionPolicy`,
      problems,
    );
    if (policy !== undefined) {
      shaping.sessionPolicy = policy;
    }
  }
  if (has('sessionPolicyArns')) {
    const arns = readPolicyArns(
      block.sessionPolicyArns!,
      `${path}.sessionPolicyArns`,
      problems,
    );
    if (arns) {
      shaping.sessionPolicyArns = arns;
    }
  }
  if (has('sourceIdentity')) {
    const identity = readSessionNameTemplate(
      block,
      'sourceIdentity',
      'source identity',
      path,
      problems,
    );
    if (identity !== undefined) {
      shaping.sourceIdentity = identity;
    }
  }
  return shaping;
}

function readChain(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
): AwsRoleChainHopConfig[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(
      path,
      `must be a non-empty list of hops, not ${
        Array.isArray(value) ? 'an empty list' : kindOf(value)
      }; e.g. assumeRoleChain: [{ roleArn: 'arn:aws:iam::222222222222:role/BackstageHub' }]`,
    );
    return undefined;
  }
  const hops: AwsRoleChainHopConfig[] = [];
  value.forEach((entry, i) => {
    const hopPath = `${path}[${i}]`;
    if (!isObject(entry)) {
      problems.add(
        hopPath,
        `must be an object with roleArn (and optionally externalId), not ${kindOf(
          entry,
        )}`,
      );
      return;
    }
    checkKnownKeys(entry, hopPath, HOP_KEYS, problems);
    const roleArn = readString(entry, 'roleArn', hopPath, problems);
    const externalId = readString(entry, 'externalId', hopPath, problems);
    if (entry.roleArn === undefined || entry.roleArn === null) {
      problems.add(
        `${hopPath}.roleArn`,
        'is missing; every hop names the role it assumes, e.g. arn:aws:iam::222222222222:role/BackstageHub',
      );
    } else if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
      problems.add(
        `${hopPath}.roleArn`,
        `'${roleArn}' is not an IAM role ARN; use arn:<partition>:iam::<12-digit account ID>:role/<name>`,
      );
    } else if (roleArn !== undefined) {
      hops.push({ roleArn, ...(externalId !== undefined && { externalId }) });
    }
  });
  return hops.length === value.length ? hops : undefined;
}

/** An inline policy, as an object or a JSON string, to compact JSON. */
function readPolicy(
  value: JsonValue,
  path: string,
  problems: Problems,
): string | undefined {
  let policy: JsonValue;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      problems.add(
        path,
        'is a string that is not valid JSON; give the policy as an object, or as a JSON string of one',
      );
      return undefined;
    }
  } else {
    policy = value;
  }
  if (!isObject(policy)) {
    problems.add(
      path,
      `must be a policy document (an object with Version and Statement), or a JSON string of one, not ${kindOf(
        policy,
      )}`,
    );
    return undefined;
  }
  const json = JSON.stringify(policy);
  if (json.length > MAX_POLICY_LENGTH) {
    problems.add(
      path,
      `is ${json.length} characters long as compact JSON; STS takes an inline session policy of at most ${MAX_POLICY_LENGTH}, so shorten it or use managed policies (sessionPolicyArns)`,
    );
    return undefined;
  }
  const chars = refused(json, POLICY_CHARACTER);
  if (chars) {
    problems.add(
      path,
      `has characters STS refuses in a policy (${chars}); use ASCII characters only`,
    );
    return undefined;
  }
  return json;
}

function readPolicyArns(
  value: JsonValue,
  path: string,
  problems: Problems,
): string[] | undefined {
  if (!Array.isArray(value)) {
    problems.add(
      path,
      `must be a list of managed policy ARNs, not ${kindOf(
        value,
      )}; e.g. sessionPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]`,
    );
    return undefined;
  }
  let ok = true;
  if (value.length > MAX_POLICY_ARNS) {
    problems.add(
      path,
      `has ${value.length} ARNs; STS takes at most ${MAX_POLICY_ARNS} managed session policies, so remove some`,
    );
    ok = false;
  }
  value.forEach((arn, i) => {
    if (typeof arn !== 'string' || !POLICY_ARN.test(arn)) {
      problems.add(
        `${path}[${i}]`,
        `${
          typeof arn === 'string' ? `'${arn}'` : kindOf(arn)
        } is not a managed policy ARN; use arn:<partition>:iam::<account ID or aws>:policy/<name>, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess`,
      );
      ok = false;
    }
  });
  return ok ? (value as string[]) : undefined;
}

/**
 * The rules between these keys and the rest of one block: they need a
 * role; a web identity role starts no chain and takes its source identity
 * from the token; a chained session lasts at most one hour.
 */
export function checkSessionShaping(
  c: SessionShaping & {
    roleName?: string;
    webIdentityTokenFile?: string;
    durationSeconds?: number;
  },
  path: string,
  problems: Problems,
) {
  if (!c.roleName) {
    for (const key of SHAPING_KEYS) {
      if (c[key] !== undefined) {
        problems.add(
          path,
          `has ${key} but no role name; ${key} only applies when a role is assumed, so add roleName or remove ${key}`,
        );
      }
    }
    return;
  }
  if (c.webIdentityTokenFile && c.assumeRoleChain) {
    problems.add(
      `${path}.assumeRoleChain`,
      "is not allowed with webIdentityTokenFile: a chain starts from the main account or the account's own keys, so remove one of them",
    );
  }
  if (c.webIdentityTokenFile && c.sourceIdentity) {
    problems.add(
      `${path}.sourceIdentity`,
      'is not allowed with webIdentityTokenFile: AssumeRoleWithWebIdentity takes the source identity from the token, so put it in the token or remove sourceIdentity',
    );
  }
  if (
    c.assumeRoleChain &&
    c.durationSeconds !== undefined &&
    c.durationSeconds > MAX_CHAINED_DURATION_SECONDS
  ) {
    problems.add(
      `${path}.durationSeconds`,
      `is ${c.durationSeconds}, but a role reached through assumeRoleChain is a chained role session, which AWS limits to one hour; set at most ${MAX_CHAINED_DURATION_SECONDS}, or remove durationSeconds`,
    );
  }
}
