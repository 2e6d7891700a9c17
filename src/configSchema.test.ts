import { join } from 'node:path';
import { loadConfigSchema } from '@backstage/config-loader';

// config.d.ts as Backstage compiles it (what `npm pack` ships as
// config.schema.json): the keys it marks secret are left out of what the
// frontend and any other reader below `secret` visibility sees.

const ROOT = join(__dirname, '..');

const data = {
  aws: {
    mainAccount: { accessKeyId: 'main-key-id', secretAccessKey: 'main-secret' },
    accounts: [{ accountId: '111111111111', roleName: 'r', externalId: 'e1' }],
  },
  connections: [
    { type: 'github', host: 'github.com', auth: [{ method: 'none' }] },
    {
      type: 'aws',
      roleName: 'ReadOnly',
      externalId: 'connection-external-id',
      auth: [
        {
          method: 'account',
          mainAccount: true,
          accessKeyId: 'conn-main-key-id',
          secretAccessKey: 'conn-main-secret',
        },
        {
          method: 'account',
          accountId: '222222222222',
          roleName: 'deploy',
          externalId: 'entry-external-id',
          durationSeconds: 1800,
          match: { plugins: ['scaffolder'] },
        },
      ],
    },
  ],
};

describe('config.d.ts', () => {
  it('compiles, accepts an aws connection next to other types, and marks its secrets', async () => {
    const schema = await loadConfigSchema({
      dependencies: [],
      packagePaths: [join(ROOT, 'package.json')],
      excludePackageDependencies: true,
    });
    const [processed] = schema.process([{ context: 'test', data }], {
      visibility: ['frontend', 'backend'],
      withFilteredKeys: true,
    });
    expect(processed.filteredKeys?.sort()).toEqual(
      [
        'aws.mainAccount.accessKeyId',
        'aws.mainAccount.secretAccessKey',
        'aws.accounts[0].externalId',
        'connections[1].externalId',
        'connections[1].auth[0].accessKeyId',
        'connections[1].auth[0].secretAccessKey',
        'connections[1].auth[1].externalId',
      ].sort(),
    );
    expect(processed.data).toMatchObject({
      connections: [
        { type: 'github' },
        {
          type: 'aws',
          roleName: 'ReadOnly',
          auth: [
            { method: 'account', mainAccount: true },
            { accountId: '222222222222', match: { plugins: ['scaffolder'] } },
          ],
        },
      ],
    });
  }, 60_000);
});
