import { ClientStyle, newClient, whoAmI } from '../clients';
import {
  AccountKind,
  Impl,
  KIND_LABEL,
  Manager,
  ORIGINAL,
  OURS,
  configFor,
  lookupOf,
  pluginViews,
} from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Target, Workload, compare } from '../workload';

export const ACCOUNTS = 10; // K
export const CLIENTS = 20; // M: new clients per account
const PLUGINS = ['catalog', 'scaffolder']; // for the rows with two plugins

/** However many clients: one AssumeRole per account. */
export const onePerAccount: Target<number> = {
  text: `= ${ACCOUNTS}`,
  met: ours => ours === ACCOUNTS,
};

/**
 * 1. Every client new, as a plugin that builds a client per request does:
 * K accounts side by side, each account's M clients one after another, one
 * signed call each; with several managers (one per plugin), every manager
 * does all of that, side by side. Returns the AssumeRole calls STS saw
 * since it was last reset.
 */
export async function measure(
  { sts }: Bench,
  kind: AccountKind,
  style: ClientStyle,
  accountIds: string[],
  managers: Manager[],
): Promise<number> {
  await Promise.all(
    managers.flatMap(manager =>
      accountIds.map(async accountId => {
        for (const m of range(CLIENTS)) {
          const provider = await manager.getCredentialProvider(
            lookupOf(kind, accountId, m),
          );
          const client = newClient(style, provider.sdkCredentialProvider);
          try {
            await whoAmI(client, accountId);
          } finally {
            client.destroy();
          }
        }
      }),
    ),
  );
  const calls = sts.callsOf('GetCallerIdentity').length;
  const expected = managers.length * ACCOUNTS * CLIENTS;
  if (calls !== expected) {
    throw new Error(
      `expected ${expected} GetCallerIdentity calls, saw ${calls}`,
    );
  }
  return assumeRoleCount(sts);
}

/** The accounts of one measurement: a new set for each kind. */
function accountsOf(kind: AccountKind): string[] {
  return range(ACCOUNTS).map(i =>
    accountIdOf(kind === 'declared' ? 201 : 301, i),
  );
}

/** One package's manager, as one plugin builds it. */
function onePlugin(
  bench: Bench,
  impl: Impl,
  kind: AccountKind,
  style: ClientStyle,
) {
  resetSts(bench.sts);
  const accountIds = accountsOf(kind);
  const manager = impl.make(configFor(kind, accountIds));
  return measure(bench, kind, style, accountIds, [manager]);
}

/**
 * Two plugins of one backend: ours gives each its view of the one service
 * (each plugin with an allow-list of the accounts, so its view checks it,
 * and no setting that changes its role session); with the original, each
 * plugin builds its own manager from the config.
 */
async function twoPlugins(
  bench: Bench,
  impl: Impl,
  kind: AccountKind,
  style: ClientStyle,
) {
  resetSts(bench.sts);
  const accountIds = accountsOf(kind);
  const aws = configFor(kind, accountIds);
  const managers =
    impl === OURS
      ? await pluginViews(
          {
            ...aws,
            plugins: Object.fromEntries(
              PLUGINS.map(id => [id, { allowedAccountIds: accountIds }]),
            ),
          },
          PLUGINS,
        )
      : PLUGINS.map(() => impl.make(aws));
  return measure(bench, kind, style, accountIds, managers);
}

export const newClientsPerAccount: Workload = {
  id: '1',
  title: `${ACCOUNTS} accounts × ${CLIENTS} new clients each`,
  targets: [onePerAccount],
  async run(bench) {
    const rows: Row[] = [];
    for (const kind of ['declared', 'defaults'] as const) {
      for (const style of [
        'credentials',
        'credentialDefaultProvider',
      ] as const) {
        progress(`1: ${kind} accounts, ${style}`);
        const ours = await onePlugin(bench, OURS, kind, style);
        const original = await onePlugin(bench, ORIGINAL, kind, style);
        rows.push(
          compare(
            `AssumeRole, ${ACCOUNTS} accounts × ${CLIENTS} new clients, ${KIND_LABEL[kind]}, \`${style}:\``,
            onePerAccount,
            { ours, original },
            String,
            n => n,
          ),
        );
      }
    }
    // One client style is enough to show that the views share the cache.
    const style = 'credentials';
    for (const kind of ['declared', 'defaults'] as const) {
      progress(`1: ${PLUGINS.length} plugins, ${kind} accounts, ${style}`);
      const ours = await twoPlugins(bench, OURS, kind, style);
      const original = await twoPlugins(bench, ORIGINAL, kind, style);
      rows.push(
        compare(
          `AssumeRole, ${PLUGINS.length} plugins (${PLUGINS.join(
            ', ',
          )}) × ${ACCOUNTS} accounts × ${CLIENTS} new clients, ${
            KIND_LABEL[kind]
          }, \`${style}:\` (ours: each plugin's view of the service; original: a manager per plugin)`,
          onePerAccount,
          { ours, original },
          String,
          n => n,
        ),
      );
    }
    return rows;
  },
};
