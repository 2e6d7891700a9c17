import { substitutePluginId } from '../config';
import type { RoleSession } from '../providers/CredentialSource';
import type {
  AwsIntegrationDefaultAccountConfig,
  AwsIntegrationPluginConfig,
} from '../types';

type Shaping = Pick<
  AwsIntegrationPluginConfig,
  'sessionPolicy' | 'sessionPolicyArns' | 'sourceIdentity'
>;

function hasPolicy(block: Shaping): boolean {
  return (
    block.sessionPolicy !== undefined || block.sessionPolicyArns !== undefined
  );
}

/**
 * The source identity and session policies of one plugin's session of a
 * block, with the precedence of the session name: a plugin's settings
 * win over a global `accounts` entry or `accountDefaults`, and lose to
 * the plugin's own entries and `accountDefaults` (`fromPlugin`). The
 * inline policy and the managed ones are one setting: the level that sets
 * either gives both, since STS grants what any of a session's policies
 * allows, and a mix of two levels could allow more than either meant.
 */
export function sessionShapingOf(
  own: AwsIntegrationDefaultAccountConfig,
  plugin: AwsIntegrationPluginConfig,
  fromPlugin: boolean,
  pluginId: string,
): Pick<RoleSession, 'sourceIdentity' | 'policy' | 'policyArns'> {
  const [first, second] = fromPlugin ? [own, plugin] : [plugin, own];
  const policyFrom = hasPolicy(first) ? first : second;
  const identity = first.sourceIdentity ?? second.sourceIdentity;
  return {
    ...(identity !== undefined && {
      sourceIdentity: substitutePluginId(identity, pluginId),
    }),
    ...(policyFrom.sessionPolicy !== undefined && {
      policy: policyFrom.sessionPolicy,
    }),
    ...(policyFrom.sessionPolicyArns !== undefined && {
      policyArns: policyFrom.sessionPolicyArns,
    }),
  };
}
