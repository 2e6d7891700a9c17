import { ClientStyle, newClient, whoAmI } from '../clients';
import {
  AccountKind,
  Impl,
  KIND_LABEL,
  ORIGINAL,
  OURS,
  configFor,
  lookupOf,
} from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Target, Workload, compare } from '../workload';

const ACCOUNTS = 10; // K
const CLIENTS = 20; // M: new clients per account

/** However many clients: one AssumeRole per account. */
const onePerAccount: Target<number> = {
  text: `= ${ACCOUNTS}`,
  met: ours => ours === ACCOUNTS,
};

/**
 * 1. Every client new, as a plugin that builds a client per request does:
 * K accounts side by side, each account's M clients one after another, one
 * signed call each. Returns the AssumeRole calls STS saw.
 */
async function measure(
  { sts }: Bench,
  impl: Impl,
  kind: AccountKind,
  style: ClientStyle,
): Promise<number> {
  resetSts(sts);
  const accountIds = range(ACCOUNTS).map(i =>
    accountIdOf(kind === 'declared' ? 201 : 301, i),
  );
  const manager = impl.make(configFor(kind, accountIds));
  await Promise.all(
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
  );
  const calls = sts.callsOf('GetCallerIdentity').length;
  if (calls !== ACCOUNTS * CLIENTS) {
    throw new Error(
      `expected ${ACCOUNTS * CLIENTS} GetCallerIdentity calls, saw ${calls}`,
    );
  }
  return assumeRoleCount(sts);
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
        const ours = await measure(bench, OURS, kind, style);
        const original = await measure(bench, ORIGINAL, kind, style);
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
    return rows;
  },
};
