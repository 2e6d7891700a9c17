// The examples of docs/configuration.md resolve as the page says.
import { ConfigReader } from '@backstage/config';
import {
  DefaultAwsCredentialsManager,
  readAwsIntegrationConfig,
} from './index';
import { useAwsTestEnv } from './__testUtils__/awsTestEnv';
import { appConfigUnder } from './__testUtils__/markdownDocs';

const PAGE = 'docs/configuration.md';

describe('docs/configuration.md', () => {
  useAwsTestEnv();

  it('has an example of the five ways that is valid and resolves as the page says', async () => {
    const config = appConfigUnder(
      PAGE,
      '## The five ways an account gets credentials',
    );
    const aws = readAwsIntegrationConfig(new ConfigReader(config.aws));
    expect(aws.accounts.map(a => a.accountId)).toEqual([
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    const manager = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader(config),
    );
    await expect(
      manager.getCredentialProvider({ accountId: '444444444444' }),
    ).resolves.toMatchObject({ stsRegion: 'us-gov-west-1' });
    await expect(
      manager.getCredentialProvider({ accountId: '999999999999' }),
    ).resolves.toMatchObject({
      roleArn: 'arn:aws:iam::999999999999:role/backstage-reader',
    });
  });
});
