import type { CredentialSourceDescription } from '../providers/CredentialSource';
import { failedChainHop } from '../providers/roleChain';
import { HopResult } from './types';

/**
 * How each role of an account's chain fared: all worked when the probe
 * obtained credentials (each hop's session signed the next), else the
 * hop the error names failed, those before it worked, and those after it
 * were not reached. Undefined for an account without a chain, or a
 * failure before any hop (an allow-list, say).
 */
export function chainHops(
  source: CredentialSourceDescription | undefined,
  error?: unknown,
): HopResult[] | undefined {
  if (!source?.roleChain || !source.roleArn) {
    return undefined;
  }
  const roles = [...source.roleChain, source.roleArn];
  if (error === undefined) {
    return roles.map(roleArn => ({ roleArn, result: 'ok' }));
  }
  const failed = failedChainHop(error);
  if (failed === undefined) {
    return undefined;
  }
  return roles.map((roleArn, i) => {
    let result: HopResult['result'] = 'not reached';
    if (i + 1 < failed) {
      result = 'ok';
    } else if (i + 1 === failed) {
      result = 'failed';
    }
    return { roleArn, result };
  });
}
