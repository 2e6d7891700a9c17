import { validateAwsBlock } from './validateAwsBlock';

describe('validateAwsBlock', () => {
  it('returns the one problem of a block with its key path', () => {
    expect(
      validateAwsBlock({ accounts: [{ accountId: '1', roleName: 'r' }] }),
    ).toEqual({
      problems: [
        expect.stringMatching(
          /^aws\.accounts\[0\]\.accountId: must be a 12-digit/,
        ),
      ],
    });
  });

  it('returns every problem of a block, one each', () => {
    const result = validateAwsBlock({
      mainAccount: { secretAccessKey: 's' },
      accounts: 'none',
      credentialsTimeout: 'soon',
    });

    expect(result).toEqual({
      problems: [
        expect.stringMatching(
          /^aws\.mainAccount: has secretAccessKey but no access key ID/,
        ),
        expect.stringMatching(/^aws\.accounts: must be a list of accounts/),
        expect.stringMatching(/^aws\.credentialsTimeout: is not a duration/),
      ],
    });
  });

  it('accepts a missing block: the main account then uses the default chain', () => {
    expect(validateAwsBlock(undefined)).toEqual({
      config: { accounts: [], mainAccount: {}, accountDefaults: {} },
      warnings: [],
    });
  });

  it('passes on the warnings of a valid block', () => {
    const result = validateAwsBlock({
      accounts: [
        {
          accountId: '222222222222',
          roleName: 'web',
          webIdentityTokenFile: '/nonexistent/token',
        },
      ],
    });

    expect(result).toMatchObject({
      warnings: [{ path: 'aws.accounts[0].webIdentityTokenFile' }],
    });
  });
});
