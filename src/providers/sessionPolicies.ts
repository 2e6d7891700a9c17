import type { RoleSession } from './CredentialSource';

/** The session policies as a source's description and key show them. */
export function policiesOf(session: RoleSession) {
  const { policy, policyArns } = session;
  return {
    description: {
      ...(policyArns && { sessionPolicyArns: policyArns }),
      ...(policy !== undefined && { sessionPolicyLength: policy.length }),
    },
    key: [policy ?? null, policyArns ?? null],
  };
}
