import { configWarnings } from './configWarnings';
import { readAwsBlock } from './readAwsIntegrationConfig';

const reader = { roleName: 'reader' };
/** With allow-lists, the main account is recognised by its configured ID. */
const mainAccount = { accountId: '999999999999' };

describe('configWarnings', () => {
  describe('allow-lists', () => {
    it('warns about an aws.accounts entry that aws.allowedAccountIds keeps from being looked up', () => {
      const config = readAwsBlock({
        mainAccount,
        allowedAccountIds: ['111111111111'],
        accounts: [
          { accountId: '111111111111', ...reader },
          { accountId: '222222222222', ...reader },
        ],
      });
      expect(configWarnings(config)).toStrictEqual([
        {
          path: 'aws.accounts[1].accountId',
          message:
            'aws.accounts[1] (account 222222222222) is not in aws.allowedAccountIds, so it can never be looked up; add 222222222222 to aws.allowedAccountIds, or remove the entry',
        },
      ]);
    });

    it('says nothing without an allow-list, or for the main account, which is never refused', () => {
      const accounts = [{ accountId: '222222222222', ...reader }];
      expect(configWarnings(readAwsBlock({ accounts }))).toStrictEqual([]);
      expect(
        configWarnings(
          readAwsBlock({
            mainAccount: { accountId: '222222222222' },
            allowedAccountIds: [],
            accounts,
          }),
        ),
      ).toStrictEqual([]);
    });

    it("warns about a plugin's entry outside the global or the plugin's own list", () => {
      const config = readAwsBlock({
        mainAccount,
        allowedAccountIds: ['111111111111', '222222222222'],
        accounts: [{ accountId: '333333333333', ...reader }],
        plugins: {
          catalog: {
            allowedAccountIds: ['111111111111'],
            accounts: [
              { accountId: '111111111111', ...reader },
              { accountId: '222222222222', ...reader },
              { accountId: '444444444444', ...reader },
            ],
          },
        },
      });
      expect(configWarnings(config).map(w => w.message)).toStrictEqual([
        'aws.accounts[0] (account 333333333333) is not in aws.allowedAccountIds, so it can never be looked up; add 333333333333 to aws.allowedAccountIds, or remove the entry',
        'aws.plugins.catalog.accounts[1] (account 222222222222) is not in aws.plugins.catalog.allowedAccountIds, so it can never be looked up; add 222222222222 to aws.plugins.catalog.allowedAccountIds, or remove the entry',
        'aws.plugins.catalog.accounts[2] (account 444444444444) is not in aws.allowedAccountIds, so it can never be looked up; add 444444444444 to aws.allowedAccountIds, or remove the entry',
      ]);
    });

    it("warns about a plugin's allowed ID that the global list refuses, as a plugin's list only narrows it", () => {
      const config = readAwsBlock({
        mainAccount,
        allowedAccountIds: ['111111111111'],
        plugins: {
          catalog: { allowedAccountIds: ['111111111111', '222222222222'] },
        },
      });
      expect(configWarnings(config)).toStrictEqual([
        {
          path: 'aws.plugins.catalog.allowedAccountIds[1]',
          message:
            "aws.plugins.catalog.allowedAccountIds[1] (account 222222222222) is not in aws.allowedAccountIds, so plugin catalog can never look it up (a plugin's list only narrows the global one); add 222222222222 to aws.allowedAccountIds, or remove it",
        },
      ]);
    });

    it("says nothing about a plugin's list when there is no global one", () => {
      const config = readAwsBlock({
        mainAccount,
        plugins: {
          catalog: {
            allowedAccountIds: ['111111111111'],
            accounts: [{ accountId: '111111111111', ...reader }],
          },
        },
      });
      expect(configWarnings(config)).toStrictEqual([]);
    });
  });

  it('warns that an allow-list cannot recognise the main account by ID without mainAccount.accountId', () => {
    const config = readAwsBlock({
      plugins: { catalog: { allowedAccountIds: ['111111111111'] } },
    });
    expect(configWarnings(config)).toEqual([
      {
        path: 'aws.mainAccount.accountId',
        message: expect.stringMatching(
          /^aws\.mainAccount\.accountId is not set, so allow-lists cannot tell the main account by its ID/,
        ),
      },
    ]);
  });

  it("checks a plugin's own accounts and account defaults like the global ones", () => {
    const missing = '/var/run/secrets/not-mounted-yet';
    const config = readAwsBlock({
      plugins: {
        catalog: {
          accountDefaults: { ...reader, webIdentityTokenFile: missing },
          accounts: [
            { accountId: '111111111111', ...reader, partition: 'aws-future' },
          ],
        },
      },
    });
    expect(configWarnings(config).map(w => w.path)).toStrictEqual([
      'aws.plugins.catalog.accountDefaults.webIdentityTokenFile',
      'aws.plugins.catalog.accounts[0].partition',
    ]);
  });
});
