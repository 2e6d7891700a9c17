import { ACCOUNT_ID, REGION, ROLE_NAME } from '../aws/identifiers';
import {
  isKnownPartition,
  isWellFormedPartition,
  partitionHints,
} from '../aws/partitions';
import type { AwsIntegrationDefaultAccountConfig } from '../types';
import { nearMiss } from './jsonValues';
import { Problems } from './Problems';

// The rules of one block. Where the original package refuses the same
// thing, its phrase ("no secret access key", "only one must be
// specified", ...) stays in the message, so log searches and alerts
// written for it still match.

export function checkFormats(
  c: {
    accountId?: string;
    roleName?: string;
    partition?: string;
    region?: string;
  },
  path: string,
  problems: Problems,
) {
  if (c.accountId !== undefined && !ACCOUNT_ID.test(c.accountId)) {
    checkAccountId(c.accountId, `${path}.accountId`, problems);
  }
  if (c.roleName !== undefined && !ROLE_NAME.test(c.roleName)) {
    problems.add(
      `${path}.roleName`,
      `'${c.roleName}' is not a valid IAM role name; use 1 to 64 letters, digits or +=,.@_- (the name only, without a path or ARN)`,
    );
  }
  if (c.partition !== undefined) {
    checkPartition(c.partition, `${path}.partition`, problems);
  }
  if (c.region !== undefined && !REGION.test(c.region)) {
    problems.add(
      `${path}.region`,
      `'${c.region}' is not an AWS region name; use a name such as us-east-1`,
    );
  }
}

/**
 * Refuses an account ID that is not 12 digits; `keyPath` is its own path.
 * True when the ID is well formed.
 */
export function checkAccountId(
  accountId: string,
  keyPath: string,
  problems: Problems,
): boolean {
  if (ACCOUNT_ID.test(accountId)) {
    return true;
  }
  problems.add(
    keyPath,
    `must be a 12-digit AWS account ID (got ${accountId.length} characters); quote it in YAML so leading zeros are kept`,
  );
  return false;
}

/**
 * A partition the SDK's data knows is fine; a near miss of one is a typo;
 * any other well-formed name may be a partition newer than this SDK, so it
 * is accepted (with a warning at start-up, see configWarnings).
 */
function checkPartition(partition: string, path: string, problems: Problems) {
  if (isKnownPartition(partition)) {
    return;
  }
  const near = nearMiss(partition, partitionHints());
  if (near) {
    problems.add(
      path,
      `'${partition}' is not an AWS partition; did you mean '${near}'? (for a partition newer than your AWS SDK, update the @aws-sdk packages)`,
    );
  } else if (!isWellFormedPartition(partition)) {
    problems.add(
      path,
      `'${partition}' is not an AWS partition name; use one such as ${partitionHints().join(
        ', ',
      )}`,
    );
  }
}

export function checkKeyPair(
  c: { accessKeyId?: string; secretAccessKey?: string; profile?: string },
  path: string,
  problems: Problems,
) {
  if (c.accessKeyId && !c.secretAccessKey) {
    problems.add(
      path,
      'has accessKeyId but no secret access key; add secretAccessKey, or remove accessKeyId',
    );
  }
  if (!c.accessKeyId && c.secretAccessKey) {
    problems.add(
      path,
      'has secretAccessKey but no access key ID; add accessKeyId, or remove secretAccessKey',
    );
  }
  if (c.profile && (c.accessKeyId || c.secretAccessKey)) {
    problems.add(
      path,
      'has both a profile and static keys (accessKeyId/secretAccessKey), but only one must be specified; keep the profile or the keys',
    );
  }
}

export function checkRoleSettings(
  c: AwsIntegrationDefaultAccountConfig & {
    accessKeyId?: string;
    profile?: string;
  },
  path: string,
  problems: Problems,
) {
  if (!c.roleName) {
    for (const key of [
      'externalId',
      'region',
      'partition',
      'webIdentityTokenFile',
      'roleSessionName',
      'sessionTags',
      'durationSeconds',
    ] as const) {
      if (c[key]) {
        problems.add(
          path,
          `has ${key} but no role name; ${key} only applies when a role is assumed, so add roleName or remove ${key}`,
        );
      }
    }
  }
  if (c.webIdentityTokenFile) {
    if (c.accessKeyId) {
      problems.add(
        path,
        'has both webIdentityTokenFile and static keys, but only one must be specified; a web identity role is assumed with the token alone, so remove one of them',
      );
    }
    if (c.profile) {
      problems.add(
        path,
        'has both webIdentityTokenFile and a profile, but only one must be specified; remove one of them',
      );
    }
    if (c.externalId) {
      problems.add(
        path,
        'has both webIdentityTokenFile and externalId; AssumeRoleWithWebIdentity takes no external ID, so remove externalId',
      );
    }
    if (c.sessionTags) {
      problems.add(
        `${path}.sessionTags`,
        'is not allowed with webIdentityTokenFile: AssumeRoleWithWebIdentity takes its session tags from the token, so put the tags in the token or remove sessionTags',
      );
    }
  }
}
