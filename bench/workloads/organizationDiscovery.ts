import { LoopbackOrganization, MAIN } from '../../loopbackSts';
import { newClient, whoAmI } from '../clients';
import { OURS } from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { progress, range } from '../util';
import { Bench, Target, Workload } from '../workload';

const ORGANIZATION_SIZE = 1_000;
/** ListAccounts returns at most 20 accounts a page. */
const PAGE_SIZE = 20;
/** Accounts looked up, and clients made per account. */
const LOOKUPS = 100;
const CLIENTS = 3;
const FIRST_ID = 300_000_000_000;
const ROLE = 'BackstageReader';

const mainAccount = {
  accountId: MAIN.accountId,
  accessKeyId: MAIN.accessKeyId,
  secretAccessKey: MAIN.secretAccessKey,
};

/** A figure and the bar it should meet. */
type Figure = { value: number; ideal: number };

const atIdeal: Target<Figure> = {
  text: '= ideal',
  met: ours => ours.value === ours.ideal,
};

function accountIds(count: number): string[] {
  return range(count).map(i => String(FIRST_ID + i));
}

/** ListAccounts calls of the first listing of the organization. */
async function listingCalls(bench: Bench): Promise<number> {
  resetSts(bench.sts);
  const manager = OURS.make({
    mainAccount,
    organization: { roleName: ROLE, endpoint: bench.sts.url },
  }) as ReturnType<typeof OURS.make> & {
    listAccounts(): Promise<Array<{ source: string }>>;
  };
  const listed = (await manager.listAccounts()).filter(
    account => account.source === 'organization',
  );
  if (listed.length !== ORGANIZATION_SIZE) {
    throw new Error(`listed ${listed.length} of ${ORGANIZATION_SIZE}`);
  }
  return bench.sts.callsOf('ListAccounts').length;
}

/**
 * AssumeRole calls for `LOOKUPS` accounts, each looked up by `CLIENTS`
 * clients at once, served as discovered or as declared accounts.
 */
async function assumeRoles(
  bench: Bench,
  served: 'organization' | 'declared',
): Promise<number> {
  resetSts(bench.sts);
  const ids = accountIds(LOOKUPS);
  const manager = OURS.make(
    served === 'organization'
      ? {
          mainAccount,
          organization: { roleName: ROLE, endpoint: bench.sts.url },
        }
      : {
          mainAccount,
          accounts: ids.map(accountId => ({ accountId, roleName: ROLE })),
        },
  );
  await Promise.all(
    ids.flatMap(accountId =>
      range(CLIENTS).map(async () => {
        const provider = await manager.getCredentialProvider({ accountId });
        await whoAmI(
          newClient('credentials', provider.sdkCredentialProvider),
          accountId,
        );
      }),
    ),
  );
  return assumeRoleCount(bench.sts);
}

/**
 * 11. Accounts from AWS Organizations: an organization of 1,000 accounts.
 * The listing takes pages of ListAccounts (50 calls, not one per
 * account); lookups of discovered accounts cost the AssumeRole calls that
 * declared accounts do: one per account and role session. The original
 * has no discovery, so it has no figure here.
 */
export const organizationDiscovery: Workload = {
  id: '11',
  title: `an organization of ${ORGANIZATION_SIZE} accounts`,
  targets: [atIdeal],
  async run(bench) {
    const { sts } = bench;
    sts.organization = new LoopbackOrganization().addAccounts(
      ORGANIZATION_SIZE,
      FIRST_ID,
    );
    try {
      progress(`9: listing an organization of ${ORGANIZATION_SIZE} accounts`);
      const pages: Figure = {
        value: await listingCalls(bench),
        ideal: ORGANIZATION_SIZE / PAGE_SIZE,
      };
      progress(`9: ${LOOKUPS} accounts × ${CLIENTS} clients, discovered`);
      const discovered = await assumeRoles(bench, 'organization');
      progress(`9: ${LOOKUPS} accounts × ${CLIENTS} clients, declared`);
      const declared = await assumeRoles(bench, 'declared');
      const lookups: Figure = { value: discovered, ideal: LOOKUPS };
      const rows: Row[] = [
        {
          what: `Organizations calls per listing of ${ORGANIZATION_SIZE} accounts (ListAccounts pages of ${PAGE_SIZE}; ideal ${pages.ideal}, not one per account)`,
          ours: String(pages.value),
          original: 'no discovery',
          ratio: '–',
          target: atIdeal.text,
          met: atIdeal.met(pages, pages),
        },
        {
          what: `AssumeRole, ${LOOKUPS} discovered accounts × ${CLIENTS} clients each, at once (declared accounts: ${declared}; ideal one per account and role session = ${LOOKUPS})`,
          ours: String(discovered),
          original: 'no discovery',
          ratio: '–',
          target: atIdeal.text,
          met: atIdeal.met(lookups, lookups) && declared === discovered,
        },
      ];
      return rows;
    } finally {
      sts.organization = undefined;
    }
  },
};
