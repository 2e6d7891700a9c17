import { MAIN } from '../../loopbackSts';
import { Manager, pluginViews } from '../implementations';
import { Row } from '../report';
import { resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Target, Workload } from '../workload';

const ACCOUNTS = 100;
const PLUGINS = ['catalog', 'scaffolder'];
const HUB = 'arn:aws:iam::222222222222:role/BackstageHub';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const S3_READ = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
};

type Result = { hub: number; members: number; ideal: number };

/** One AssumeRole per distinct role session, and not one more. */
const atIdeal: Target<Result> = {
  text: '= ideal',
  met: ours => ours.hub + ours.members === ours.ideal,
};

/**
 * Every account reached through `accountDefaults` behind one hub role;
 * the two plugins set session policies, different or equal.
 */
function hubConfig(samePolicies: boolean) {
  return {
    mainAccount: {
      accessKeyId: MAIN.accessKeyId,
      secretAccessKey: MAIN.secretAccessKey,
    },
    accountDefaults: {
      roleName: 'BackstageReader',
      assumeRoleChain: [{ roleArn: HUB }],
      sourceIdentity: 'backstage',
    },
    plugins: {
      catalog: { sessionPolicyArns: [READ_ONLY] },
      scaffolder: samePolicies
        ? { sessionPolicyArns: [READ_ONLY] }
        : { sessionPolicy: S3_READ },
    },
  };
}

/** Every plugin looks up every account at once, twice (cold, then warm). */
async function lookUpAll(views: Manager[], accountIds: string[]) {
  for (let round = 0; round < 2; round++) {
    await Promise.all(
      views.flatMap(view =>
        accountIds.map(async accountId =>
          (
            await view.getCredentialProvider({ accountId })
          ).sdkCredentialProvider(),
        ),
      ),
    );
  }
}

async function measure({ sts }: Bench, samePolicies: boolean): Promise<Result> {
  resetSts(sts);
  const accountIds = range(ACCOUNTS).map(i => accountIdOf(208, i));
  const views = await pluginViews(hubConfig(samePolicies), PLUGINS);
  await lookUpAll(views, accountIds);
  const calls = sts.callsOf('AssumeRole');
  const hub = calls.filter(c => c.params.RoleArn === HUB).length;
  // The hub session is shared by both plugins (same session name and
  // source identity; policies go on the last hop only); a member session
  // is shared by the plugins whose policies are equal.
  const memberSessionsPerAccount = samePolicies ? 1 : PLUGINS.length;
  return {
    hub,
    members: calls.length - hub,
    ideal: 1 + ACCOUNTS * memberSessionsPerAccount,
  };
}

/**
 * 9. Role chains: 2 plugins × 100 member accounts reached through one hub
 * role (`assumeRoleChain`), each account looked up by both plugins, cold
 * then warm. The ideal is one AssumeRole per distinct role session: 1 hub
 * session, plus 100 member sessions per distinct session policy. The
 * original has no role chains, so it has no figure here.
 */
export const roleChainSessions: Workload = {
  id: '9',
  title: `${PLUGINS.length} plugins × ${ACCOUNTS} accounts behind one hub role`,
  targets: [atIdeal],
  async run(bench) {
    const rows: Row[] = [];
    for (const samePolicies of [false, true]) {
      const label = samePolicies ? 'equal' : 'different';
      progress(`8: role chains, plugins with ${label} session policies`);
      const result = await measure(bench, samePolicies);
      rows.push({
        what: `AssumeRole, ${
          PLUGINS.length
        } plugins × ${ACCOUNTS} accounts behind one hub (assumeRoleChain), plugins with ${label} session policies, cold + warm lookups (hub ${
          result.hub
        }, member ${result.members}; ideal 1 hub + ${ACCOUNTS} × ${
          samePolicies ? 1 : PLUGINS.length
        } member = ${result.ideal})`,
        ours: String(result.hub + result.members),
        original: 'no role chains',
        ratio: '–',
        target: atIdeal.text,
        met: atIdeal.met(result, result),
      });
    }
    return rows;
  },
};
