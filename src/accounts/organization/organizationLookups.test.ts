import { ConfigReader } from '@backstage/config';
import { LoopbackOrganization } from '../../../loopbackSts';
import { MAIN, MAIN_KEYS, useAwsTestEnv } from '../../__testUtils__/awsTestEnv';
import { CredentialsRoot } from '../../manager/CredentialsRoot';
import { PluginCredentialsView } from '../../manager/PluginCredentialsView';

const MEMBER = '333333333333';
const OTHER_MEMBER = '444444444444';
const OUTSIDER = '999999999999';
const DECLARED = '555555555555';

describe('lookups of accounts discovered in the organization', () => {
  const env = useAwsTestEnv();
  const roots: CredentialsRoot[] = [];
  let org: LoopbackOrganization;

  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = env.sts.url;
    org = new LoopbackOrganization()
      .addAccount({ id: MAIN.accountId })
      .addAccount({ id: MEMBER })
      .addAccount({ id: OTHER_MEMBER })
      .addAccount({ id: DECLARED });
    env.sts.organization = org;
  });

  afterEach(() => {
    for (const root of roots.splice(0)) {
      root.stop();
    }
  });

  function setUp(aws: object = {}, pluginId?: string) {
    const root = CredentialsRoot.fromConfig(
      new ConfigReader({
        aws: {
          mainAccount: { ...MAIN_KEYS, accountId: MAIN.accountId },
          accounts: [{ accountId: DECLARED, roleName: 'Declared' }],
          organization: { roleName: 'OrgReader' },
          ...aws,
        },
      }),
    );
    roots.push(root);
    return { root, view: new PluginCredentialsView(root, { pluginId }) };
  }

  const assumed = () =>
    env.sts.callsOf('AssumeRole').map(call => call.params.RoleArn);

  it('serves a discovered account by assuming organization.roleName, once for many lookups', async () => {
    const { view } = setUp();
    for (let i = 0; i < 3; i++) {
      const provider = await view.getCredentialProvider({ accountId: MEMBER });
      expect(provider.roleArn).toBe(`arn:aws:iam::${MEMBER}:role/OrgReader`);
      await provider.sdkCredentialProvider();
    }
    expect(assumed()).toEqual([`arn:aws:iam::${MEMBER}:role/OrgReader`]);
  });

  it("reaches members through organization.assumeRoleChain, one hub session for all of them, with the organization's session policy on the member hop", async () => {
    const hub = 'arn:aws:iam::222222222222:role/BackstageHub';
    const { view } = setUp({
      organization: {
        roleName: 'OrgReader',
        assumeRoleChain: [{ roleArn: hub }],
        sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
    });
    for (const accountId of [MEMBER, OTHER_MEMBER]) {
      const provider = await view.getCredentialProvider({ accountId });
      await provider.sdkCredentialProvider();
    }
    const calls = env.sts.callsOf('AssumeRole');
    expect(calls.map(call => call.params.RoleArn)).toEqual([
      hub,
      `arn:aws:iam::${MEMBER}:role/OrgReader`,
      `arn:aws:iam::${OTHER_MEMBER}:role/OrgReader`,
    ]);
    expect(calls[0].policyArns).toBeUndefined();
    expect(calls[1].policyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(calls[2].signerArn).toBe(calls[1].signerArn);
    expect(calls[1].signerArn).toMatch(/assumed-role\/BackstageHub\//);
  });

  it('lets a declared account win, and the main account keep its own credentials', async () => {
    const { view } = setUp();
    const declared = await view.getCredentialProvider({ accountId: DECLARED });
    expect(declared.roleArn).toBe(`arn:aws:iam::${DECLARED}:role/Declared`);
    const main = await view.getCredentialProvider({
      accountId: MAIN.accountId,
    });
    expect(main.roleArn).toBeUndefined();
    expect(await main.sdkCredentialProvider()).toMatchObject(MAIN_KEYS);
  });

  it('refuses an account outside the organization with a NotFoundError naming it', async () => {
    const { view } = setUp();
    await expect(
      view.getCredentialProvider({ accountId: OUTSIDER }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(
        /no AWS integration that matches 999999999999: it is not one of the 4 ACTIVE accounts of the AWS organization \(aws\.organization\)/,
      ),
    });
    expect(assumed()).toEqual([]);
  });

  it('serves an account outside the organization through accountDefaults when that is set too', async () => {
    const { view } = setUp({ accountDefaults: { roleName: 'Fallback' } });
    const outsider = await view.getCredentialProvider({ accountId: OUTSIDER });
    expect(outsider.roleArn).toBe(`arn:aws:iam::${OUTSIDER}:role/Fallback`);
    const member = await view.getCredentialProvider({ accountId: MEMBER });
    expect(member.roleArn).toBe(`arn:aws:iam::${MEMBER}:role/OrgReader`);
  });

  it('applies allow-lists to discovered accounts', async () => {
    const { view } = setUp(
      { plugins: { catalog: { allowedAccountIds: [MEMBER] } } },
      'catalog',
    );
    await expect(
      view.getCredentialProvider({ accountId: MEMBER }),
    ).resolves.toBeDefined();
    await expect(
      view.getCredentialProvider({ accountId: OTHER_MEMBER }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('serves declared accounts while Organizations fails at start-up, fails discovered ones naming the cause, and recovers', async () => {
    env.sts.injectFault(
      { status: 400, code: 'AccessDeniedException', message: 'no access' },
      1,
      'ListAccounts',
    );
    const { root, view } = setUp();
    const declared = await view.getCredentialProvider({ accountId: DECLARED });
    await declared.sdkCredentialProvider();
    await expect(
      view.getCredentialProvider({ accountId: MEMBER }),
    ).rejects.toThrow(
      /have not been listed yet.*organizations:ListAccounts failed.*AccessDeniedException: no access/,
    );
    await root.organization!.refreshNow();
    const member = await view.getCredentialProvider({ accountId: MEMBER });
    await member.sdkCredentialProvider();
    expect(assumed()).toEqual([
      `arn:aws:iam::${DECLARED}:role/Declared`,
      `arn:aws:iam::${MEMBER}:role/OrgReader`,
    ]);
  });

  it('waits for a hung first listing up to credentialsTimeout, then fails naming the call that did not answer; declared accounts are served meanwhile', async () => {
    env.sts.injectFault('hang', 1, 'ListAccounts');
    const timeoutMs = 1_000;
    // Taken before the listing starts, so either timeout (the call's own, or
    // the lookup's wait) that ends the wait is at least timeoutMs after it.
    const started = Date.now();
    const { view } = setUp({ credentialsTimeout: { milliseconds: timeoutMs } });
    let settled = false;
    const lookup = view
      .getCredentialProvider({ accountId: MEMBER })
      .finally(() => {
        settled = true;
      });
    const declared = await view.getCredentialProvider({ accountId: DECLARED });
    await declared.sdkCredentialProvider();
    expect(settled).toBe(false);

    await expect(lookup).rejects.toThrow(
      /have not been listed yet.*caused by .*organizations:ListAccounts did not answer within 1000 ms \(aws\.credentialsTimeout\)/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(timeoutMs);
    expect(assumed()).toEqual([`arn:aws:iam::${DECLARED}:role/Declared`]);
  });

  it('fails a held provider of an account that left the organization with NotFoundError after the next refresh', async () => {
    const { root, view } = setUp();
    const held = await view.getCredentialProvider({ accountId: MEMBER });
    await held.sdkCredentialProvider();
    org.removeAccount(MEMBER);
    await root.organization!.refreshNow();
    await expect(held.sdkCredentialProvider()).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      view.getCredentialProvider({ accountId: MEMBER }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it("keeps a discovered account's session across a reload that leaves it as it was, shared by every plugin", async () => {
    const { root, view } = setUp();
    const held = await view.getCredentialProvider({ accountId: MEMBER });
    const before = await held.sdkCredentialProvider();
    root.reconfigure(
      new ConfigReader({
        aws: {
          mainAccount: { ...MAIN_KEYS, accountId: MAIN.accountId },
          accounts: [
            { accountId: DECLARED, roleName: 'Declared' },
            { accountId: '777777777777', roleName: 'Added' },
          ],
          organization: { roleName: 'OrgReader' },
        },
      }),
    );
    expect(await held.sdkCredentialProvider()).toEqual(before);
    const again = await view.getCredentialProvider({ accountId: MEMBER });
    expect(await again.sdkCredentialProvider()).toEqual(before);
    // Another plugin with the same role session shares it after the reload.
    const other = new PluginCredentialsView(root, { pluginId: 'other' });
    const shared = await other.getCredentialProvider({ accountId: MEMBER });
    expect(await shared.sdkCredentialProvider()).toEqual(before);
    expect(assumed()).toEqual([`arn:aws:iam::${MEMBER}:role/OrgReader`]);
  });

  it('lists with the session of listAccountsRoleArn, cached like any role', async () => {
    const listingRole = 'arn:aws:iam::111111111111:role/BackstageOrgReader';
    const { root } = setUp({
      organization: { roleName: 'OrgReader', listAccountsRoleArn: listingRole },
    });
    await root.organization!.current();
    await root.organization!.refreshNow();
    expect(assumed()).toEqual([listingRole]);
    const signers = env.sts
      .callsOf('ListAccounts')
      .map(call => call.accessKeyId);
    expect(signers).toHaveLength(2);
    expect(signers[0]).not.toBe(MAIN.accessKeyId);
  });

  describe('#listAccounts', () => {
    it('lists each account once, main, declared then discovered, allow-lists applied', async () => {
      const { view } = setUp(
        {
          plugins: {
            catalog: {
              allowedAccountIds: [MEMBER, DECLARED],
            },
          },
        },
        'catalog',
      );
      expect(await view.listAccounts()).toEqual([
        { accountId: MAIN.accountId, source: 'main' },
        { accountId: DECLARED, source: 'declared' },
        {
          accountId: MEMBER,
          name: `account-${MEMBER}`,
          source: 'organization',
        },
      ]);
    });

    it('waits for the first listing as a lookup does, and names its failure', async () => {
      env.sts.injectFault(
        { status: 400, code: 'AccessDeniedException', message: 'no access' },
        1,
        'ListAccounts',
      );
      const { view } = setUp();
      await expect(view.listAccounts()).rejects.toThrow(
        /organizations:ListAccounts failed.*AccessDeniedException/,
      );
    });
  });
});
