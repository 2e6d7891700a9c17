import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { settleUntil } from '../__testUtils__/fakeClock';

// The rule a reload keeps: afterwards, every answer (a fresh lookup or a
// call of a provider handed out before) is the one a manager started with
// the new config gives.

function managerFor(aws: object) {
  return DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }));
}

/** What a manager started with `aws` answers to a lookup: a provider or an error. */
function freshAnswer(aws: object, opts: { accountId: string }) {
  return managerFor(aws)
    .getCredentialProvider(opts)
    .catch((error: Error) => error);
}

describe('DefaultAwsCredentialsManager reloads', () => {
  const env = useAwsTestEnv();
  const assumedRoles = () =>
    env.sts.callsOf('AssumeRole').map(c => c.params.RoleArn);

  it("makes a provider handed out for the main account's ID serve the role a reload gives that ID", async () => {
    const mainAccount = { ...MAIN_KEYS, accountId: MAIN.accountId };
    const manager = managerFor({ mainAccount });
    const held = await manager.getCredentialProvider({
      accountId: MAIN.accountId,
    });
    expect((await held.sdkCredentialProvider()).accessKeyId).toBe(
      MAIN.accessKeyId,
    );

    const roleArn = `arn:aws:iam::${MAIN.accountId}:role/own-role`;
    manager.reconfigure(
      new ConfigReader({
        aws: {
          mainAccount,
          accounts: [{ accountId: MAIN.accountId, roleName: 'own-role' }],
        },
      }),
    );

    const fresh = await manager.getCredentialProvider({
      accountId: MAIN.accountId,
    });
    expect(fresh.roleArn).toBe(roleArn);
    const credentials = await held.sdkCredentialProvider();
    expect(credentials.accessKeyId).not.toBe(MAIN.accessKeyId);
    expect(held.roleArn).toBe(roleArn);
    expect(assumedRoles()).toEqual([roleArn]);
    // The main account itself still gets the main account's keys.
    const main = await manager.getCredentialProvider();
    expect((await main.sdkCredentialProvider()).accessKeyId).toBe(
      MAIN.accessKeyId,
    );
  });

  it('stops serving the old main account ID after a reload changes mainAccount.accountId, and the main provider reports the new one, as a fresh manager does', async () => {
    const manager = managerFor({
      mainAccount: { ...MAIN_KEYS, accountId: MAIN.accountId },
    });
    const heldById = await manager.getCredentialProvider({
      accountId: MAIN.accountId,
    });
    const heldMain = await manager.getCredentialProvider();

    const next = { mainAccount: { ...MAIN_KEYS, accountId: '999988887777' } };
    manager.reconfigure(new ConfigReader({ aws: next }));

    const expected = await freshAnswer(next, { accountId: MAIN.accountId });
    expect(expected).toMatchObject({ name: 'NotFoundError' });
    await expect(
      manager.getCredentialProvider({ accountId: MAIN.accountId }),
    ).rejects.toThrow((expected as Error).message);
    await expect(heldById.sdkCredentialProvider()).rejects.toThrow(
      (expected as Error).message,
    );
    expect(heldMain.accountId).toBe('999988887777');
    const main = await manager.getCredentialProvider();
    expect(main.accountId).toBe('999988887777');
    await expect(
      manager.getCredentialProvider({ accountId: '999988887777' }),
    ).resolves.toMatchObject({ accountId: '999988887777' });
    expect(env.sts.calls).toHaveLength(0);
  });

  it('refuses a lookup that waited on GetCallerIdentity while a reload added an allow-list leaving it out, and every lookup after it, as a fresh manager does', async () => {
    const manager = managerFor({ mainAccount: MAIN_KEYS });
    // Long enough for the reload below to happen while STS is being asked.
    env.sts.delayMs = 500;
    const waiting = manager
      .getCredentialProvider({ accountId: MAIN.accountId })
      .catch((error: Error) => error);
    await settleUntil(() => env.sts.callsOf('GetCallerIdentity').length > 0);
    const next = {
      mainAccount: MAIN_KEYS,
      allowedAccountIds: ['444455556666'],
    };
    manager.reconfigure(new ConfigReader({ aws: next }));
    env.sts.delayMs = 0;

    const expected = await freshAnswer(next, { accountId: MAIN.accountId });
    expect(expected).toMatchObject({ name: 'NotAllowedError' });
    expect(await waiting).toMatchObject({
      name: 'NotAllowedError',
      message: (expected as Error).message,
    });
    await expect(
      manager.getCredentialProvider({ accountId: MAIN.accountId }),
    ).rejects.toThrow((expected as Error).message);
  });

  it('gives the answer of the new config to a lookup of an account that a reload added while the lookup waited', async () => {
    const manager = managerFor({ mainAccount: MAIN_KEYS });
    env.sts.delayMs = 500;
    const waiting = manager
      .getCredentialProvider({ accountId: '444455556666' })
      .catch((error: Error) => error);
    await settleUntil(() => env.sts.callsOf('GetCallerIdentity').length > 0);
    manager.reconfigure(
      new ConfigReader({
        aws: {
          mainAccount: MAIN_KEYS,
          accounts: [{ accountId: '444455556666', roleName: 'added' }],
        },
      }),
    );
    env.sts.delayMs = 0;

    await expect(waiting).resolves.toMatchObject({
      accountId: '444455556666',
      roleArn: 'arn:aws:iam::444455556666:role/added',
    });
  });
});
