import type { LoopbackSts } from '../loopbackSts';

// The account IDs and key pairs are the examples of the AWS documentation:
// obviously not real, and known to secret scanners as examples.

/** The main account: static keys, `accountId` left out so STS is asked. */
export const DEMO_MAIN_ACCOUNT = {
  accountId: '123456789012',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  arn: 'arn:aws:iam::123456789012:user/backstage-demo',
};

/** An account with static keys of its own. */
export const DEMO_STATIC_ACCOUNT = {
  accountId: '111122223333',
  accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  arn: 'arn:aws:iam::111122223333:user/backstage-demo',
};

/** An account reached by assuming a role, with an external ID. */
export const DEMO_ROLE_ACCOUNT = {
  accountId: '444455556666',
  roleName: 'BackstageDemoRole',
  externalId: 'backstage-demo-external-id',
};

/** The role `aws.accountDefaults` assumes in every other account. */
export const DEMO_DEFAULT_ROLE_NAME = 'BackstageReadOnly';

/** An account that is not listed, so `aws.accountDefaults` serves it. */
export const DEMO_OTHER_ACCOUNT_ID = '777788889999';

/**
 * The `aws` block of the demo: one account of each kind, plus defaults,
 * with every STS call sent to `stsEndpoint` (a loopback STS).
 */
export function demoAwsConfig(stsEndpoint: string) {
  return {
    sts: { endpoint: stsEndpoint },
    mainAccount: {
      accessKeyId: DEMO_MAIN_ACCOUNT.accessKeyId,
      secretAccessKey: DEMO_MAIN_ACCOUNT.secretAccessKey,
    },
    accounts: [
      {
        accountId: DEMO_STATIC_ACCOUNT.accountId,
        accessKeyId: DEMO_STATIC_ACCOUNT.accessKeyId,
        secretAccessKey: DEMO_STATIC_ACCOUNT.secretAccessKey,
      },
      {
        accountId: DEMO_ROLE_ACCOUNT.accountId,
        roleName: DEMO_ROLE_ACCOUNT.roleName,
        externalId: DEMO_ROLE_ACCOUNT.externalId,
      },
    ],
    accountDefaults: {
      roleName: DEMO_DEFAULT_ROLE_NAME,
    },
  };
}

/** Teaches a loopback STS the long-term keys of the demo config. */
export function registerDemoIdentities(sts: LoopbackSts): void {
  for (const user of [DEMO_MAIN_ACCOUNT, DEMO_STATIC_ACCOUNT]) {
    sts.addUser(user.accessKeyId, user.secretAccessKey, {
      account: user.accountId,
      arn: user.arn,
    });
  }
}
