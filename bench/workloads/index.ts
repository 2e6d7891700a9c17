import type { Workload } from '../workload';
import { concurrentFirstLookups } from './concurrentFirstLookups';
import { connections } from './connections';
import { expiringCredentials } from './expiringCredentials';
import { longLivedClient } from './longLivedClient';
import { memory } from './memory';
import { newClientsPerAccount } from './newClientsPerAccount';
import { organizationDiscovery } from './organizationDiscovery';
import { pluginViewLookups } from './pluginViewLookups';
import { roleChainSessions } from './roleChainSessions';
import { startup } from './startup';
import { warmLookups } from './warmLookups';

/**
 * The workloads in the order of the report. A new one is a file in this
 * folder exporting a {@link Workload}, plus one entry here.
 */
export const workloads: Workload[] = [
  newClientsPerAccount,
  concurrentFirstLookups,
  longLivedClient,
  warmLookups,
  startup,
  expiringCredentials,
  pluginViewLookups,
  memory,
  roleChainSessions,
  connections,
  organizationDiscovery,
];
