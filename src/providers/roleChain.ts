import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { ForwardedError } from '@backstage/errors';
import { FAILED_HOP } from '../aws/safeCause';
import type { Fetch, RoleSession } from './CredentialSource';

/*
 * Role chains: the roles of `assumeRoleChain`, then the account's own
 * role, each AssumeRole signed by the session of the hop before it. Each
 * hop is a source of its own in the one cache (see resolveSource), so a
 * hub's session is shared by every account and plugin behind it; this
 * file says what each hop sends and how a failure names its hop.
 */

/** A hop as its errors name it: 1 for the first role of the chain. */
export type Hop = { position: number; roleArn: string };

/** Where a chain starts: the credentials that sign its first hop. */
export const CHAIN_START: Hop = { position: 0, roleArn: '' };

/** What a hop's fix depends on, besides the hop. */
type HopSettings = {
  /** Who signs the first hop: "the main account's credentials", ... */
  start: string;
  sourceIdentity: boolean;
  tags: boolean;
};

/**
 * Marks an error with the hop (or the start, position 0) where a chain's
 * fetch failed. A property, not a WeakMap by identity: the cache keeps a
 * safe copy of an error as its cause (see safeCause), and the copy keeps
 * the mark.
 */
function markFailedHop(error: unknown, hop: Hop) {
  if (error instanceof Object) {
    Object.defineProperty(error, FAILED_HOP, {
      value: hop,
      configurable: true,
    });
  }
}

function markOf(error: object): Hop | undefined {
  return (error as Record<symbol, Hop | undefined>)[FAILED_HOP];
}

/**
 * The sessions of each hop of a chain of `hops` roles (the account's own
 * last) for one role session: the name and source identity on every hop;
 * the tags on the first, as transitive tags that later hops inherit (STS
 * refuses a hop that re-sends them); the duration and policies on the
 * last, so that sessions differing only in these share the hops before.
 */
export function hopSessions(session: RoleSession, hops: number): RoleSession[] {
  if (hops === 1) {
    return [session]; // no chain: one AssumeRole, with all of it
  }
  const { roleSessionName, sourceIdentity, tags } = session;
  const every: RoleSession = {
    roleSessionName,
    ...(sourceIdentity !== undefined && { sourceIdentity }),
  };
  return Array.from({ length: hops }, (_unused, i) => {
    if (i === hops - 1) {
      const {
        tags: _sentFirst,
        transitiveTags: _transitive,
        ...last
      } = session;
      return last;
    }
    return i === 0 && tags ? { ...every, tags, transitiveTags: true } : every;
  });
}

/** The error's hop, if it or one of its causes failed in a chain. */
function failedHopOf(error: unknown): { hop: Hop; cause: Error } | undefined {
  for (let e = error as Error | undefined; e; e = (e as any).cause) {
    const hop = markOf(e);
    if (hop) {
      return { hop, cause: e };
    }
  }
  return undefined;
}

/**
 * The position of the hop a chained session failed at (0: the
 * credentials that sign its first hop), if `error` is such a failure.
 */
export function failedChainHop(error: unknown): number | undefined {
  return failedHopOf(error)?.hop.position;
}

/**
 * The fetch of one hop: its signer's credentials first (a failure there
 * is the previous hop's, or the chain's start's, unless already named),
 * then its own AssumeRole, whose failure is this hop's.
 */
export function hopFetch(
  hop: Hop,
  previous: Hop,
  signer: AwsCredentialIdentityProvider,
  assume: (signWith: AwsCredentialIdentityProvider) => Fetch,
): Fetch {
  return async options => {
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await signer();
    } catch (error) {
      if (!failedHopOf(error)) {
        markFailedHop(error, previous);
      }
      throw error;
    }
    try {
      return await assume(async () => credentials)(options);
    } catch (error) {
      markFailedHop(error, hop);
      throw error;
    }
  };
}

/** What to do when a hop fails, by STS's error code. */
function fixFor(
  hop: Hop,
  chain: string[],
  settings: HopSettings,
  error: Error,
): string {
  if (hop.position === 0) {
    return `the credentials that sign its first hop, ${settings.start}, could not be obtained`;
  }
  if (error.name === 'AccessDenied') {
    const by =
      hop.position === 1
        ? settings.start
        : `the role of hop ${hop.position - 1}, ${chain[hop.position - 2]}`;
    const also = [
      settings.sourceIdentity &&
        'sts:SetSourceIdentity (the session sets a source identity)',
      settings.tags && 'sts:TagSession (the session carries session tags)',
    ].filter(Boolean);
    return `the trust policy of ${hop.roleArn} must allow sts:AssumeRole${
      also.length ? `, ${also.join(', ')}` : ''
    } by ${by}`;
  }
  if (
    hop.position === 1 &&
    /^(InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken)$/.test(
      error.name,
    )
  ) {
    return `STS does not accept the credentials that sign it, ${settings.start}; check them`;
  }
  if (/duration/i.test(error.message)) {
    return 'a role session assumed by role chaining lasts at most one hour; lower durationSeconds to 3600 or less';
  }
  return `check that ${hop.roleArn} exists and STS's message below`;
}

/**
 * The last hop's fetch, whose failure names the hop that failed (role
 * ARN, "hop 1 of 2") and its fix; STS's error stays the cause, so its
 * code stays the error's name.
 */
export function chainFetch(
  fetch: Fetch,
  chain: string[],
  settings: HopSettings,
): Fetch {
  return async options => {
    try {
      return await fetch(options);
    } catch (error) {
      const failed = failedHopOf(error);
      if (!failed) {
        throw error;
      }
      const { hop, cause } = failed;
      const where =
        hop.position === 0
          ? 'the start of the role chain'
          : `hop ${hop.position} of ${chain.length}, ${hop.roleArn},`;
      throw new ForwardedError(
        `${where} failed: ${fixFor(hop, chain, settings, cause)}`,
        cause,
      );
    }
  };
}
