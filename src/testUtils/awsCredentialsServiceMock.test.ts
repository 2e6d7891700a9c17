import { awsCredentialsServiceMock, mockAwsCredentials } from '.';

describe('awsCredentialsServiceMock', () => {
  const mock = awsCredentialsServiceMock({
    mainAccount: { accountId: '111111111111' },
    accounts: [
      '222222222222',
      {
        accountId: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/r',
        stsRegion: 'eu-west-1',
      },
    ],
  });

  it('hands out fixed fake credentials per account', async () => {
    const provider = await mock.getCredentialProvider({
      accountId: '222222222222',
    });
    expect(provider.accountId).toBe('222222222222');
    await expect(provider.sdkCredentialProvider()).resolves.toEqual(
      mockAwsCredentials('222222222222'),
    );
    const other = await mock.getCredentialProvider({
      accountId: '333333333333',
    });
    expect(other).toMatchObject({
      roleArn: 'arn:aws:iam::333333333333:role/r',
      stsRegion: 'eu-west-1',
    });
    expect((await other.sdkCredentialProvider()).accessKeyId).not.toBe(
      (await provider.sdkCredentialProvider()).accessKeyId,
    );
  });

  it('resolves ARNs and the main account like the real manager', async () => {
    const main = await mock.getCredentialProvider();
    expect(main.accountId).toBe('111111111111');
    await expect(
      mock.getCredentialProvider({ arn: 'arn:aws:s3:::bucket' }),
    ).resolves.toBe(main);
    await expect(
      mock.getCredentialProvider({ accountId: '111111111111' }),
    ).resolves.toBe(main);
    const byArn = await mock.getCredentialProvider({
      arn: 'arn:aws:sqs:us-east-1:222222222222:queue',
    });
    expect(byArn.accountId).toBe('222222222222');
  });

  it('refuses unknown accounts and malformed ARNs like the real manager', async () => {
    await expect(
      mock.getCredentialProvider({ accountId: '999999999999' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      mock.getCredentialProvider({ arn: 'nope' }),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it('offers jest.fn() methods through .mock()', async () => {
    const fake = awsCredentialsServiceMock.mock({
      getCredentialProvider: async () => ({
        accountId: '444444444444',
        sdkCredentialProvider: async () => mockAwsCredentials('444444444444'),
      }),
    });
    await expect(
      fake.getCredentialProvider({ accountId: '444444444444' }),
    ).resolves.toMatchObject({ accountId: '444444444444' });
    expect(fake.getCredentialProvider).toHaveBeenCalledWith({
      accountId: '444444444444',
    });
    const empty = awsCredentialsServiceMock.mock();
    expect(await empty.getCredentialProvider()).toBeUndefined();
    expect(empty.getCredentialProvider).toHaveBeenCalledTimes(1);
  });
});
