import type { AuditorService } from '@backstage/backend-plugin-api';
import type { FetchEvent } from '../cache/cachingProvider';
import type { CredentialSourceDescription } from '../providers/CredentialSource';

/** A plugin that uses a cached session, told when a new one is issued. */
export type SessionUser = { pluginId?: string; auditor: AuditorService };

/** What to check when STS refuses a session with tags or a duration. */
export function hintFor(
  d: CredentialSourceDescription,
  error: unknown,
): string | undefined {
  const name = (error as Error)?.name;
  if (d.roleChain) {
    return undefined; // a chain's error names the hop that failed, and its fix
  }
  if (name === 'AccessDenied' && d.sessionTags) {
    return `the session carries tags, so the trust policy of ${d.roleArn} must allow sts:TagSession as well as sts:AssumeRole`;
  }
  if (
    name === 'ValidationError' &&
    d.durationSeconds !== undefined &&
    /duration/i.test(String((error as Error).message))
  ) {
    return `durationSeconds (${d.durationSeconds}) is more than the maximum session duration of ${d.roleArn}; lower it, or raise the role's maximum session duration in IAM`;
  }
  return undefined;
}

/** A low-severity audit event for each plugin using a newly issued role session. */
export function auditNewSession(
  d: CredentialSourceDescription,
  users: Set<SessionUser>,
  event: FetchEvent,
) {
  if (
    event.outcome !== 'success' ||
    (d.kind !== 'assume_role' && d.kind !== 'web_identity')
  ) {
    return;
  }
  for (const { auditor } of users) {
    Promise.resolve()
      .then(() =>
        auditor.createEvent({
          eventId: 'role-session-issued',
          severityLevel: 'low',
          meta: {
            accountId: d.accountId ?? null,
            roleArn: d.roleArn ?? null,
            roleSessionName: d.roleSessionName ?? null,
            // Every role assumed, in order, the session's own last.
            roleChain: [...(d.roleChain ?? []), d.roleArn ?? null],
            sessionPolicy:
              d.sessionPolicyArns !== undefined ||
              d.sessionPolicyLength !== undefined,
            refresh: event.refresh,
          },
        }),
      )
      .then(e => e.success())
      .catch(() => {}); // auditing never breaks credentials
  }
}
