import { ConfigReader } from '@backstage/config';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { CredentialsRoot } from './CredentialsRoot';
import { PluginCredentialsView } from './PluginCredentialsView';

// What a backend keeps per account ID that a caller chooses (a route such
// as /api/buckets/:accountId): nothing for a failed lookup, and a bounded
// number of the accounts that account defaults reach.

const mainAccount = { ...MAIN_KEYS, accountId: MAIN.accountId };
const DECLARED = '222200000000';

function rootFor(aws: object) {
  return CredentialsRoot.fromConfig(new ConfigReader({ aws }));
}

/** 12-digit account IDs that no config lists. */
function ids(count: number, base = 300_000_000_000) {
  return Array.from({ length: count }, (_, i) => String(base + i));
}

describe('PluginCredentialsView memory', () => {
  const env = useAwsTestEnv();
  const assumed = () =>
    env.sts.callsOf('AssumeRole').map(c => c.params.RoleArn.split(':')[4]);

  /** Looks an account up and calls its provider once. */
  async function use(view: PluginCredentialsView, accountId: string) {
    const provider = await view.getCredentialProvider({ accountId });
    await provider.sdkCredentialProvider();
    return provider;
  }

  it('keeps nothing for lookups of unconfigured accounts, of accounts an allow-list refuses, or of malformed input', async () => {
    const root = rootFor({
      mainAccount,
      accounts: [{ accountId: DECLARED, roleName: 'reader' }],
      plugins: { catalog: { allowedAccountIds: [DECLARED] } },
    });
    const unnamed = new PluginCredentialsView(root);
    const catalog = new PluginCredentialsView(root, { pluginId: 'catalog' });
    const failures: string[] = [];
    const fail = (lookup: Promise<unknown>) =>
      lookup.then(
        () => failures.push('found'),
        (error: Error) => failures.push(error.name),
      );

    for (const id of ids(500)) {
      await fail(unnamed.getCredentialProvider({ accountId: id }));
      await fail(
        unnamed.getCredentialProvider({ arn: `arn:aws:sqs:us-east-1:${id}:q` }),
      );
      await fail(catalog.getCredentialProvider({ accountId: id }));
      await fail(unnamed.getCredentialProvider({ arn: `arn:aws:${id}` }));
    }

    expect(new Set(failures)).toEqual(
      new Set(['NotFoundError', 'NotAllowedError', 'InputError']),
    );
    expect(failures).toHaveLength(2000);
    expect(unnamed.handleCount).toBe(0);
    expect(catalog.handleCount).toBe(0);
    expect(root.accounts.forPlugin(undefined).resolvedCount).toBe(0);
    expect(root.accounts.forPlugin('catalog').resolvedCount).toBe(0);
    expect(root.retained).toEqual({
      sessions: 0,
      arns: 0,
      heldDefaultAccounts: 0,
    });
    expect(env.sts.calls).toHaveLength(0);
  });

  it('holds 10,000 accounts reached through accountDefaults by default, the least recently used going first', async () => {
    const root = rootFor({ mainAccount, accountDefaults: { roleName: 'r' } });
    const view = new PluginCredentialsView(root);
    const [first, ...others] = ids(10_001);
    const firstProvider = await view.getCredentialProvider({
      accountId: first,
    });
    for (const id of others) {
      await view.getCredentialProvider({ accountId: id });
    }
    expect(root.retained.heldDefaultAccounts).toBe(10_000);
    expect(view.handleCount).toBe(10_000);
    // The first was the least recently used: a new lookup makes a new provider.
    expect(await view.getCredentialProvider({ accountId: first })).not.toBe(
      firstProvider,
    );
    expect(root.retained.heldDefaultAccounts).toBe(10_000);
    expect(root.accounts.forPlugin(undefined).resolvedCount).toBe(0);
    expect(env.sts.calls).toHaveLength(0);
  });

  it('holds at most aws.cache.maxDefaultAccounts accounts reached through accountDefaults, and fetches an evicted one again at its next use', async () => {
    const root = rootFor({
      mainAccount,
      accountDefaults: { roleName: 'reader' },
      cache: { maxDefaultAccounts: 2 },
    });
    const view = new PluginCredentialsView(root);
    const [a, b, c] = ids(3);

    await use(view, a);
    await use(view, b);
    await use(view, a); // a is now the most recently used
    await use(view, c); // so b goes
    expect(assumed()).toEqual([a, b, c]);
    expect(root.retained.heldDefaultAccounts).toBe(2);
    expect(view.handleCount).toBe(2);
    // The main account's session (it signs the AssumeRole calls), a and c.
    expect(root.retained.sessions).toBe(3);

    await use(view, a); // held: no STS call
    expect(assumed()).toEqual([a, b, c]);
    await use(view, b); // evicted: fetched again, and c goes
    await use(view, c);
    expect(assumed()).toEqual([a, b, c, b, c]);
    expect(root.retained.sessions).toBe(3);
  });

  it('never evicts declared accounts or the main account', async () => {
    const root = rootFor({
      mainAccount,
      accounts: [{ accountId: DECLARED, roleName: 'reader' }],
      accountDefaults: { roleName: 'reader' },
      cache: { maxDefaultAccounts: 1 },
    });
    const view = new PluginCredentialsView(root);
    await use(view, DECLARED);
    const main = await view.getCredentialProvider();
    await main.sdkCredentialProvider();
    const others = ids(3);
    for (const id of others) {
      await use(view, id);
    }

    await use(view, DECLARED);
    expect(await view.getCredentialProvider()).toBe(main);
    expect(assumed()).toEqual([DECLARED, ...others]);
    expect(root.retained.heldDefaultAccounts).toBe(1);
    expect(view.handleCount).toBe(3);
  });

  it('keeps a held provider of an evicted account working: its next call fetches again and holds the account again', async () => {
    const root = rootFor({
      mainAccount,
      accountDefaults: { roleName: 'reader' },
      cache: { maxDefaultAccounts: 1 },
    });
    const view = new PluginCredentialsView(root);
    const [a, b] = ids(2);
    const held = await use(view, a);
    await use(view, b); // a goes

    const credentials = await held.sdkCredentialProvider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(await view.getCredentialProvider({ accountId: a })).toBe(held);
    await held.sdkCredentialProvider();
    expect(assumed()).toEqual([a, b, a]);
    expect(root.retained.heldDefaultAccounts).toBe(1);
    expect(view.handleCount).toBe(1);
  });

  it('counts the accounts of every plugin against one limit per backend', async () => {
    const root = rootFor({
      mainAccount,
      accountDefaults: { roleName: 'reader' },
      cache: { maxDefaultAccounts: 3 },
    });
    const views = ['catalog', 'scaffolder'].map(
      pluginId => new PluginCredentialsView(root, { pluginId }),
    );
    for (const id of ids(4)) {
      for (const view of views) {
        await view.getCredentialProvider({ accountId: id });
      }
    }
    expect(root.retained.heldDefaultAccounts).toBe(3);
    expect(views[0].handleCount + views[1].handleCount).toBe(3);
  });

  it('evicts down to a lower aws.cache.maxDefaultAccounts at a reload', async () => {
    const aws = { mainAccount, accountDefaults: { roleName: 'reader' } };
    const root = rootFor(aws);
    const view = new PluginCredentialsView(root);
    const [a, b, c] = ids(3);
    await use(view, a);
    await use(view, b);
    await use(view, c);

    root.reconfigure(
      new ConfigReader({ aws: { ...aws, cache: { maxDefaultAccounts: 1 } } }),
    );
    expect(root.retained.heldDefaultAccounts).toBe(1);
    expect(view.handleCount).toBe(1);
    // The main account's session and c's.
    expect(root.retained.sessions).toBe(2);
    await use(view, c);
    expect(assumed()).toEqual([a, b, c]);
  });
});
