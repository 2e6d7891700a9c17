import type { JsonObject } from '@backstage/config';
import { LoopbackOrganization, type LoopbackSts } from '../loopbackSts';
import { withSecrets } from '../src/accounts/migratedValues';
import { toConnections } from '../src/accounts/toConnections';

// The account IDs and key pairs are the examples of the AWS documentation:
// obviously not real, and known to secret scanners as examples.

/**
 * The main account: static keys, and its ID, which the allow-lists of the
 * demo need to tell the main account by its ID (without it, start-up warns).
 */
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

/**
 * The read-only role every plugin assumes, unless its own settings say
 * otherwise: in the role account (with an external ID) and, through
 * `aws.accountDefaults`, in every account that is not listed.
 */
export const DEMO_READ_ONLY_ROLE_NAME = 'BackstageReadOnly';

/** An account reached by assuming a role, with an external ID. */
export const DEMO_ROLE_ACCOUNT = {
  accountId: '444455556666',
  roleName: DEMO_READ_ONLY_ROLE_NAME,
  externalId: 'backstage-demo-external-id',
};

/** An account that is not listed, so `aws.accountDefaults` serves it. */
export const DEMO_OTHER_ACCOUNT_ID = '777788889999';

/** An account that no allow-list of the demo contains. */
export const DEMO_FORBIDDEN_ACCOUNT_ID = '999988887777';

/**
 * The demo's AWS organization, which the loopback answers Organizations
 * calls from: the main account (its management account) and the declared
 * accounts under the root, and two member accounts, in an organizational
 * unit and tagged for Backstage, that `aws.organization` discovers.
 */
export const DEMO_ORGANIZATION = {
  rootId: 'r-ab12',
  workloadsOuId: 'ou-ab12-workloads',
  /** The tag that marks the accounts Backstage may discover. */
  accountTags: { backstage: 'enabled' },
  members: [
    {
      id: '555555555555',
      name: 'demo-workloads-prod',
      tags: { backstage: 'enabled', environment: 'prod' },
    },
    {
      id: '666666666666',
      name: 'demo-workloads-dev',
      tags: { backstage: 'enabled', environment: 'dev' },
    },
  ],
};

/** The discovered account that the catalog's allow-list contains. */
export const DEMO_DISCOVERED_ACCOUNT = DEMO_ORGANIZATION.members[0];

/** A discovered account outside the catalog's allow-list. */
export const DEMO_DISCOVERED_FORBIDDEN_ACCOUNT = DEMO_ORGANIZATION.members[1];

/** The demo plugin that only reads: the global settings, fewer accounts. */
export const DEMO_CATALOG = {
  pluginId: 'demo-catalog',
  allowedAccountIds: [
    DEMO_STATIC_ACCOUNT.accountId,
    DEMO_ROLE_ACCOUNT.accountId,
    DEMO_OTHER_ACCOUNT_ID,
    DEMO_DISCOVERED_ACCOUNT.id,
  ],
};

/**
 * The demo plugin that provisions: a role of its own in the role account,
 * session tags, and no account defaults.
 */
export const DEMO_SCAFFOLDER = {
  pluginId: 'demo-scaffolder',
  roleName: 'BackstageProvisioning',
  sessionTags: { plugin: '{pluginId}', access: 'provisioning' },
};

/**
 * The `aws` block of the demo, with every STS and Organizations call sent
 * to `stsEndpoint` (a loopback STS): one account of each kind, read-only
 * defaults, the accounts discovered in the organization, and the settings
 * of the two demo plugins in `aws.plugins`.
 */
export function demoAwsConfig(stsEndpoint: string) {
  return {
    sts: { endpoint: stsEndpoint },
    // CloudTrail names the plugin of every role session.
    roleSessionName: 'backstage-{pluginId}',
    mainAccount: {
      accountId: DEMO_MAIN_ACCOUNT.accountId,
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
      roleName: DEMO_READ_ONLY_ROLE_NAME,
    },
    organization: {
      roleName: DEMO_READ_ONLY_ROLE_NAME,
      endpoint: stsEndpoint,
      organizationalUnitIds: [DEMO_ORGANIZATION.workloadsOuId],
      accountTags: DEMO_ORGANIZATION.accountTags,
    },
    plugins: {
      [DEMO_CATALOG.pluginId]: {
        allowedAccountIds: DEMO_CATALOG.allowedAccountIds,
      },
      [DEMO_SCAFFOLDER.pluginId]: {
        // Replaces the global entry of the role account for this plugin.
        accounts: [
          {
            accountId: DEMO_ROLE_ACCOUNT.accountId,
            roleName: DEMO_SCAFFOLDER.roleName,
            externalId: DEMO_ROLE_ACCOUNT.externalId,
          },
        ],
        // No role in accounts that are not listed.
        accountDefaults: {},
        sessionTags: DEMO_SCAFFOLDER.sessionTags,
      },
    },
  };
}

/**
 * The demo as an aws connection (what `check --print-connections` prints
 * for it, secrets filled in): the `connections` entry, which
 * dev/connections.yaml holds, and the aws block's settings that stay in
 * force with it, which the dev backend serves with its loopback STS.
 */
export function demoConnection(stsEndpoint: string): {
  connection: JsonObject;
  awsSettings: JsonObject;
} {
  const migration = toConnections(demoAwsConfig(stsEndpoint) as JsonObject);
  return {
    connection: withSecrets(
      migration.connection,
      migration.secrets,
    ) as JsonObject,
    awsSettings: withSecrets(migration.aws!, migration.secrets) as JsonObject,
  };
}

/**
 * Teaches a loopback STS the long-term keys of the demo config, and gives
 * it the demo organization to answer Organizations calls from, listable by
 * the main account only. Roles need no registration: the loopback STS lets
 * any signed caller assume any role (it checks signatures, not trust
 * policies or external IDs).
 */
export function registerDemoIdentities(sts: LoopbackSts): void {
  for (const user of [DEMO_MAIN_ACCOUNT, DEMO_STATIC_ACCOUNT]) {
    sts.addUser(user.accessKeyId, user.secretAccessKey, {
      account: user.accountId,
      arn: user.arn,
    });
  }
  sts.organization = demoOrganization();
}

/** A fresh copy of the demo organization (see {@link DEMO_ORGANIZATION}). */
export function demoOrganization(): LoopbackOrganization {
  const { rootId, workloadsOuId, members } = DEMO_ORGANIZATION;
  const organization = new LoopbackOrganization({ rootId })
    .addOrganizationalUnit(workloadsOuId, rootId, 'Workloads')
    .addAccount({ id: DEMO_MAIN_ACCOUNT.accountId, name: 'demo-management' })
    .addAccount({ id: DEMO_STATIC_ACCOUNT.accountId, name: 'demo-shared' })
    .addAccount({ id: DEMO_ROLE_ACCOUNT.accountId, name: 'demo-tooling' });
  for (const member of members) {
    organization.addAccount({ ...member, parentId: workloadsOuId });
  }
  // As in AWS: only the management account may list the organization.
  organization.listingAccounts.add(DEMO_MAIN_ACCOUNT.accountId);
  return organization;
}
