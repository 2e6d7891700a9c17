import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsIntegrationAccountConfig } from '../types';
import type { Fetch, RoleSession } from './CredentialSource';
import * as fetches from './fetches';
import {
  ResolvedSource,
  resolved,
  stsParts,
  unknownStsRegion,
} from './ResolvedSource';
import {
  CHAIN_START,
  Hop,
  chainFetch,
  hopFetch,
  hopSessions,
} from './roleChain';
import { StsSettings } from './sts';

/**
 * The hops of `assumeRoleChain` before an account's role, each a source
 * of its own, signed by the one before: the first by the account's own
 * keys or the main account's credentials.
 */
export function roleChainOf(
  config: AwsIntegrationAccountConfig,
  configPath: string,
  session: RoleSession,
  options: {
    ownKeys?: { accessKeyId: string; secretAccessKey: string };
    mainKey: string;
    stsRegion: string | undefined;
    timeoutMs: number;
    sts: StsSettings;
  },
) {
  const { ownKeys, stsRegion, sts } = options;
  const roleArns = (config.assumeRoleChain ?? []).map(hop => hop.roleArn);
  const sessions = hopSessions(session, roleArns.length + 1);
  const hops: Hop[] = roleArns.map((roleArn, i) => ({
    position: i + 1,
    roleArn,
  }));
  const stsPart = stsParts(sts);
  let signedBy: ResolvedSource | undefined;
  (config.assumeRoleChain ?? []).forEach((hop, i) => {
    const own = sessions[i];
    const signWithOwnKeys = i === 0 && ownKeys;
    signedBy = resolved(
      {
        kind: 'assume_role',
        subject: `role chain hop ${i + 1}, ${hop.roleArn}`,
        accountId: hop.roleArn.split(':')[4],
        configPath: `${configPath}.assumeRoleChain[${i}]`,
        roleArn: hop.roleArn,
        ...(stsRegion && { stsRegion }),
        roleSessionName: own.roleSessionName,
        signedWith: ownKeys ? 'own keys' : 'main account',
        ...(i > 0 && { roleChain: roleArns.slice(0, i) }),
        ...(own.tags && { sessionTags: own.tags }),
        ...(own.sourceIdentity && { sourceIdentity: own.sourceIdentity }),
        ...stsPart.description,
      },
      [
        'chain_hop',
        hop.roleArn,
        stsRegion,
        hop.externalId ?? null,
        i === 0 ? ownKeys ?? options.mainKey : null,
        options.timeoutMs,
        stsPart.key,
        own,
      ],
      (ctx, signer) =>
        stsRegion === undefined
          ? unknownStsRegion(config, configPath)
          : hopFetch(
              hops[i],
              hops[i - 1] ?? CHAIN_START,
              signWithOwnKeys ? async () => signWithOwnKeys : signer,
              signWith =>
                fetches.assumeRole({
                  roleArn: hop.roleArn,
                  externalId: hop.externalId,
                  stsRegion,
                  signWith,
                  timeoutMs: ctx.timeoutMs,
                  sts,
                  session: own,
                }),
            ),
      signedBy,
    );
  });
  const settings = {
    start: ownKeys
      ? "the account's own keys"
      : "the main account's credentials",
    sourceIdentity: session.sourceIdentity !== undefined,
    tags: session.tags !== undefined,
  };
  return {
    roleArns,
    signedBy,
    lastSession: sessions[roleArns.length],
    /** The account's own role: the last hop, whose failure names any hop. */
    lastFetch(
      roleArn: string,
      signer: AwsCredentialIdentityProvider,
      assume: (signWith: AwsCredentialIdentityProvider) => Fetch,
    ): Fetch {
      const last = { position: hops.length + 1, roleArn };
      return chainFetch(
        hopFetch(last, hops[hops.length - 1], signer, assume),
        [...roleArns, roleArn],
        settings,
      );
    },
  };
}
