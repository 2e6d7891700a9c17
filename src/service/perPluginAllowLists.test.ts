import { NotAllowedError } from '@backstage/errors';
import { MAIN, useAwsTestEnv, MAIN_KEYS } from '../__testUtils__/awsTestEnv';
import { AwsCredentialsManager } from '../types';
import {
  credentialsOf,
  startPluginsBackend,
} from './__testUtils__/pluginsBackend';

const mainAccount = MAIN_KEYS;
const READ = '333333333333';
const WRITE = '444444444444';
const DEFAULTED = '555555555555';
const UNLISTED = '999999999999';

/**
 * Global list: READ, WRITE and DEFAULTED; the catalog may only use READ.
 * No mainAccount.accountId: learning it would take a GetCallerIdentity.
 */
const aws = {
  mainAccount,
  accounts: [
    { accountId: READ, roleName: 'reader' },
    { accountId: WRITE, roleName: 'writer' },
  ],
  accountDefaults: { roleName: 'fallback' },
  allowedAccountIds: [READ, WRITE, DEFAULTED],
  plugins: { catalog: { allowedAccountIds: [READ] } },
};

function refusal(
  view: AwsCredentialsManager,
  opts: { accountId?: string; arn?: string },
): Promise<Error> {
  return view.getCredentialProvider(opts).then(
    () => {
      throw new Error(`${JSON.stringify(opts)} was not refused`);
    },
    (error: Error) => error,
  );
}

describe('per-plugin allow-lists', () => {
  const env = useAwsTestEnv();

  it('refuses an account outside aws.allowedAccountIds with NotAllowedError naming the account and the key, before any STS call', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    const error = await refusal(backend.view('scaffolder'), {
      accountId: UNLISTED,
    });
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      `AWS account ${UNLISTED} is not allowed to plugin 'scaffolder': it is not in aws.allowedAccountIds. Add it there if this plugin may use it.`,
    );
    expect(env.sts.calls).toEqual([]);
    await backend.stop();
  });

  it("refuses an account in aws.allowedAccountIds but not in the plugin's own list, naming aws.plugins.<id>.allowedAccountIds, before any STS call", async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    for (const accountId of [WRITE, DEFAULTED]) {
      const error = await refusal(backend.view('catalog'), { accountId });
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toMatch(
        new RegExp(
          `^AWS account ${accountId} is not allowed to plugin 'catalog': it is not in aws\\.plugins\\.catalog\\.allowedAccountIds\\.`,
        ),
      );
    }
    // Outside both lists: the global list is named first.
    await expect(
      refusal(backend.view('catalog'), { accountId: UNLISTED }),
    ).resolves.toMatchObject({
      message: expect.stringContaining('it is not in aws.allowedAccountIds.'),
    });
    expect(env.sts.calls).toEqual([]);
    await backend.stop();
  });

  it('refuses a lookup by ARN the same way, with no STS call', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    const byArn = await refusal(backend.view('catalog'), {
      arn: `arn:aws:sqs:eu-west-1:${WRITE}:provisioning-queue`,
    });
    expect(byArn).toBeInstanceOf(NotAllowedError);
    expect(byArn.message).toContain(
      `AWS account ${WRITE} is not allowed to plugin 'catalog': it is not in aws.plugins.catalog.allowedAccountIds`,
    );
    const globally = await refusal(backend.view('scaffolder'), {
      arn: `arn:aws:s3:eu-west-1:${UNLISTED}:accesspoint/reports`,
    });
    expect(globally).toBeInstanceOf(NotAllowedError);
    expect(globally.message).toContain('not in aws.allowedAccountIds');
    expect(env.sts.calls).toEqual([]);
    await backend.stop();
  });

  it('serves an account that is in both lists, by ID and by ARN', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    await credentialsOf(backend.view('catalog'), { accountId: READ });
    await credentialsOf(backend.view('catalog'), {
      arn: `arn:aws:sqs:eu-west-1:${READ}:queue`,
    });
    await credentialsOf(backend.view('scaffolder'), { accountId: WRITE });
    await credentialsOf(backend.view('scaffolder'), { accountId: DEFAULTED });
    expect(env.sts.callsOf('AssumeRole').map(c => c.params.RoleArn)).toEqual([
      `arn:aws:iam::${READ}:role/reader`,
      `arn:aws:iam::${WRITE}:role/writer`,
      `arn:aws:iam::${DEFAULTED}:role/fallback`,
    ]);
    await backend.stop();
  });

  it('always allows the main account: with no account given, and by its configured mainAccount.accountId', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: {
        mainAccount: { ...mainAccount, accountId: MAIN.accountId },
        accounts: [{ accountId: READ, roleName: 'reader' }],
        allowedAccountIds: [READ],
        plugins: { catalog: { allowedAccountIds: [] } },
      },
    });
    const catalog = backend.view('catalog');
    for (const opts of [
      {},
      { accountId: MAIN.accountId },
      { arn: `arn:aws:sqs:eu-west-1:${MAIN.accountId}:queue` },
      { arn: 'arn:aws:s3:::a-bucket-without-an-account' },
    ]) {
      await expect(credentialsOf(catalog, opts)).resolves.toMatchObject({
        accessKeyId: MAIN.accessKeyId,
      });
    }
    // The empty plugin list leaves the catalog nothing but the main account.
    await expect(refusal(catalog, { accountId: READ })).resolves.toBeInstanceOf(
      NotAllowedError,
    );
    expect(env.sts.calls).toEqual([]);
    await backend.stop();
  });

  it("gives the main account's ID the same answer before and after its ID was learned from STS", async () => {
    // No mainAccount.accountId: the ID is known only once a lookup of an
    // allowed account that has no source of its own asks STS for it.
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws: { mainAccount, allowedAccountIds: [READ] },
    });
    const outcome = (accountId: string) =>
      backend
        .view('catalog')
        .getCredentialProvider({ accountId })
        .then(
          () => 'served',
          (error: Error) => error.name,
        );

    const before = await outcome(MAIN.accountId);
    await outcome(READ); // NotFoundError, after a GetCallerIdentity
    const after = await outcome(MAIN.accountId);
    expect(env.sts.callsOf('GetCallerIdentity')).toHaveLength(1);
    expect(after).toBe(before);
    await backend.stop();
  });

  it('refuses an ARN that another plugin, allowed to use it, looked up before', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    const arn = `arn:aws:sqs:eu-west-1:${WRITE}:provisioning-queue`;
    await credentialsOf(backend.view('scaffolder'), { arn });
    await expect(
      refusal(backend.view('catalog'), { arn }),
    ).resolves.toBeInstanceOf(NotAllowedError);
    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
    await backend.stop();
  });

  it('records a medium-severity account-not-allowed audit event for each refusal, under the refused plugin', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog', 'scaffolder'],
      aws,
    });
    const catalogError = await refusal(backend.view('catalog'), {
      accountId: WRITE,
    });
    const scaffolderError = await refusal(backend.view('scaffolder'), {
      arn: `arn:aws:sqs:eu-west-1:${UNLISTED}:queue`,
    });
    await credentialsOf(backend.view('catalog'), { accountId: READ });

    const refusals = backend.audits.filter(
      e => e.eventId === 'account-not-allowed',
    );
    expect(refusals).toEqual([
      {
        pluginId: 'catalog',
        eventId: 'account-not-allowed',
        severityLevel: 'medium',
        meta: {
          accountId: WRITE,
          allowList: 'aws.plugins.catalog.allowedAccountIds',
        },
        outcome: 'fail',
        error: catalogError,
      },
      {
        pluginId: 'scaffolder',
        eventId: 'account-not-allowed',
        severityLevel: 'medium',
        meta: { accountId: UNLISTED, allowList: 'aws.allowedAccountIds' },
        outcome: 'fail',
        error: scaffolderError,
      },
    ]);
    await backend.stop();
  });

  it('answers with NotAllowedError even when the auditor fails', async () => {
    const backend = await startPluginsBackend({
      pluginIds: ['catalog'],
      aws,
    });
    backend.audits.push = () => {
      throw new Error('the audit log is down');
    };
    const error = await refusal(backend.view('catalog'), { accountId: WRITE });
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(env.sts.calls).toEqual([]);
    await backend.stop();
  });
});
