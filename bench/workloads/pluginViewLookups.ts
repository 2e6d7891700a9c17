import {
  Manager,
  ORIGINAL,
  declaredConfig,
  pluginViews,
} from '../implementations';
import { RUNS, lookupKinds, medianLookupRates } from '../lookupRates';
import { Row, fmtRate } from '../report';
import { accountIdOf, progress, range } from '../util';
import { Workload, atLeastOriginal, compare } from '../workload';

const ACCOUNTS = 10;
const PLUGIN = 'catalog';

/**
 * The accounts of workload 4, plus settings of the plugin that make its
 * view do its own work: a session name and a session tag with its ID, and
 * an allow-list of exactly these accounts.
 */
function configWithPluginSettings(accountIds: string[]) {
  return {
    ...declaredConfig(accountIds),
    plugins: {
      [PLUGIN]: {
        roleSessionName: 'backstage-{pluginId}',
        sessionTags: { 'backstage-plugin': '{pluginId}' },
        allowedAccountIds: accountIds,
      },
    },
  };
}

/** Fails the bench unless the view refuses an account its allow-list leaves out. */
async function checkAllowListApplies(view: Manager, accountId: string) {
  const refused = await view.getCredentialProvider({ accountId }).then(
    () => undefined,
    (error: Error) => error.name,
  );
  if (refused !== 'NotAllowedError') {
    throw new Error(
      `plugin ${PLUGIN}'s view should refuse account ${accountId} with NotAllowedError, got ${
        refused ?? 'credentials'
      }`,
    );
  }
}

/**
 * 7. Workload 4 as a plugin of a backend makes it: through the view that
 * our service (`awsCredentialsServiceFactory`) gives the plugin `catalog`,
 * which has settings of its own in `aws.plugins.catalog`. The original has
 * no service and no plugin settings; a plugin builds its manager with
 * `DefaultAwsCredentialsManager.fromConfig` from the same accounts.
 */
export const pluginViewLookups: Workload = {
  id: '7',
  title: `warm lookups through the service's view for plugin ${PLUGIN}`,
  targets: [atLeastOriginal],
  async run() {
    const accountIds = range(ACCOUNTS).map(i => accountIdOf(207, i));
    const rows: Row[] = [];
    for (const { label, detail, lookups } of lookupKinds(accountIds)) {
      progress(`7: warm lookups through a plugin's view, ${label}`);
      const [view] = await pluginViews(configWithPluginSettings(accountIds), [
        PLUGIN,
      ]);
      await checkAllowListApplies(view, accountIdOf(207, ACCOUNTS));
      rows.push(
        compare(
          `warm lookups per second ${label}, plugin view of the service (plugin ${PLUGIN} with roleSessionName, sessionTags, allowedAccountIds; ${detail}, median of ${RUNS})`,
          atLeastOriginal,
          await medianLookupRates(
            { ours: view, original: ORIGINAL.make(declaredConfig(accountIds)) },
            lookups,
          ),
          fmtRate,
          r => r,
        ),
      );
    }
    return rows;
  },
};
