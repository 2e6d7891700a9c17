import { createHash } from 'node:crypto';
import { defaultStsRegion } from '../../aws/partitions';
import * as fetches from '../../providers/fetches';
import type { ResolvedSource } from '../../providers/resolveSource';
import { ROLE_SESSION_NAME, StsSettings } from '../../providers/sts';

/**
 * The session of `aws.organization.listAccountsRoleArn`: a role like any
 * other, assumed with the main account's credentials and cached by the
 * one cache, so the listing never holds credentials of its own.
 */
export function listingRoleSource(options: {
  roleArn: string;
  mainKey: string;
  timeoutMs: number;
  sts?: StsSettings;
}): ResolvedSource {
  const { roleArn, mainKey, timeoutMs, sts = {} } = options;
  const [, partition, , , accountId] = roleArn.split(':');
  const stsRegion = defaultStsRegion(partition) ?? 'us-east-1';
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        'organization_listing',
        roleArn,
        stsRegion,
        mainKey,
        timeoutMs,
        sts.endpoint ?? null,
        sts.useFipsEndpoint ?? null,
      ]),
    )
    .digest('hex');
  return {
    key,
    description: {
      kind: 'assume_role',
      subject: 'the organization listing role',
      accountId,
      configPath: 'aws.organization.listAccountsRoleArn',
      roleArn,
      stsRegion,
      signedWith: 'main account',
      roleSessionName: ROLE_SESSION_NAME,
    },
    createFetch: (ctx, mainCredentials) =>
      fetches.assumeRole({
        roleArn,
        stsRegion,
        signWith: mainCredentials,
        timeoutMs: ctx.timeoutMs,
        sts,
        session: { roleSessionName: ROLE_SESSION_NAME },
      }),
  };
}
