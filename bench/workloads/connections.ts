import { connectionsServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import { createAwsCredentialsManagerFromConnection as originalFromConnection } from '@backstage/integration-aws-node/alpha';
import { MAIN } from '../../loopbackSts';
import { awsCredentialsServiceFactory } from '../../src';
import { createAwsCredentialsManagerFromConnection as ourFromConnection } from '../../src/alpha';
import { AccountKind, Manager } from '../implementations';
import { Row } from '../report';
import { resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Workload, compare } from '../workload';
import {
  ACCOUNTS,
  CLIENTS,
  measure,
  onePerAccount,
} from './newClientsPerAccount';

const ROLE = 'bench-role';
const PLUGINS = ['catalog', 'scaffolder'];

const LABEL: Record<AccountKind, string> = {
  declared: 'auth entries by ID',
  defaults: 'connection role by ARN',
};

/** The accounts in an aws connection: an entry each, or the connection's role. */
function connectionConfig(kind: AccountKind, accountIds: string[]): JsonObject {
  const main = {
    method: 'account',
    mainAccount: true,
    accessKeyId: MAIN.accessKeyId,
    secretAccessKey: MAIN.secretAccessKey,
  };
  return {
    connections: [
      kind === 'declared'
        ? {
            type: 'aws',
            auth: [
              main,
              ...accountIds.map(accountId => ({
                method: 'account',
                accountId,
                roleName: ROLE,
              })),
            ],
          }
        : { type: 'aws', roleName: ROLE, auth: [main] },
    ],
  };
}

/** Each plugin's view of our service, over a root config of `data`. */
async function ourViews(data: JsonObject): Promise<Manager[]> {
  const tester = ServiceFactoryTester.from(awsCredentialsServiceFactory, {
    dependencies: [mockServices.rootConfig.factory({ data })],
  });
  return Promise.all(PLUGINS.map(id => tester.getSubject(id)));
}

/** The connections service of each plugin, from the framework's factory. */
async function connectionsOf(data: JsonObject, pluginIds: string[]) {
  const tester = ServiceFactoryTester.from(connectionsServiceFactory, {
    dependencies: [mockServices.rootConfig.factory({ data })],
  });
  return Promise.all(pluginIds.map(id => tester.getSubject(id)));
}

/**
 * Two plugins of a backend whose only AWS config is an aws connection.
 * Ours: each plugin's view of the service, which reads the connection
 * itself; the original: each plugin makes a manager of its connections
 * service (the framework's factory) with its alpha entry.
 */
async function twoPlugins(
  bench: Bench,
  impl: 'ours' | 'original',
  kind: AccountKind,
) {
  resetSts(bench.sts);
  const accountIds = range(ACCOUNTS).map(i =>
    accountIdOf(kind === 'declared' ? 401 : 501, i),
  );
  const data = connectionConfig(kind, accountIds);
  const managers =
    impl === 'ours'
      ? await ourViews(data)
      : (await connectionsOf(data, PLUGINS)).map(c =>
          originalFromConnection(c),
        );
  return measure(bench, kind, 'credentials', accountIds, managers);
}

/** One plugin, each package's alpha entry over its connections service. */
async function alphaEntry(bench: Bench, impl: 'ours' | 'original') {
  resetSts(bench.sts);
  const accountIds = range(ACCOUNTS).map(i => accountIdOf(601, i));
  const [service] = await connectionsOf(
    connectionConfig('defaults', accountIds),
    ['catalog'],
  );
  const make = impl === 'ours' ? ourFromConnection : originalFromConnection;
  return measure(bench, 'defaults', 'credentials', accountIds, [make(service)]);
}

export const connections: Workload = {
  id: '10',
  title: `an aws connection: ${PLUGINS.length} plugins × ${ACCOUNTS} accounts × ${CLIENTS} new clients`,
  targets: [onePerAccount],
  async run(bench) {
    const rows: Row[] = [];
    for (const kind of ['declared', 'defaults'] as const) {
      progress(`8: aws connection, ${LABEL[kind]}`);
      const ours = await twoPlugins(bench, 'ours', kind);
      const original = await twoPlugins(bench, 'original', kind);
      rows.push(
        compare(
          `AssumeRole, aws connection only, ${
            PLUGINS.length
          } plugins (${PLUGINS.join(
            ', ',
          )}) × ${ACCOUNTS} accounts × ${CLIENTS} new clients, ${
            LABEL[kind]
          }, \`credentials:\` (ours: each plugin's view of the service; original: createAwsCredentialsManagerFromConnection per plugin)`,
          onePerAccount,
          { ours, original },
          String,
          n => n,
        ),
      );
    }
    progress('8: the alpha entries, one plugin');
    const ours = await alphaEntry(bench, 'ours');
    const original = await alphaEntry(bench, 'original');
    rows.push(
      compare(
        `AssumeRole, ${ACCOUNTS} accounts × ${CLIENTS} new clients, ${LABEL.defaults}, \`credentials:\`, through each package's createAwsCredentialsManagerFromConnection (/alpha) over the framework's connections service`,
        onePerAccount,
        { ours, original },
        String,
        n => n,
      ),
    );
    return rows;
  },
};
