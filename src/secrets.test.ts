import { inspect } from 'node:util';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  LoggerService,
  RootLoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceFactoryTester } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConfigSources, MutableConfigSource } from '@backstage/config-loader';
import { DefaultAwsCredentialsManager } from './manager/DefaultAwsCredentialsManager';
import { settleUntil, useFakeClock } from './__testUtils__/fakeClock';
import { MAIN, OTHER, useAwsTestEnv } from './__testUtils__/awsTestEnv';
import { awsCredentialsServiceFactory } from './service/awsCredentialsServiceFactory';
import { probe } from './cli/probe';
import { readAwsIntegrationConfig } from './config';

const EXTERNAL_ID = 'external-id-that-is-a-secret-7731';
const DEFAULTS_EXTERNAL_ID = 'defaults-external-id-secret-9124';
const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWNyZXQtdG9rZW4tY29udGVudCJ9.';
const PROFILE_KEY = {
  id: 'AKIAPROFILEKEY000003',
  secret: 'profile-secret-0000000000000000000000',
};

/** A root logger that keeps every line, at every level, with its fields. */
function capturingLogger(lines: string[]): RootLoggerService {
  const make = (meta: object): LoggerService => {
    const log = (level: string) => (message: string, fields?: Error | object) =>
      void lines.push(
        `${level} ${message} ${JSON.stringify(meta)} ${
          fields instanceof Error
            ? `${fields.message} ${fields.stack}`
            : JSON.stringify(fields ?? {})
        }`,
      );
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (more: object) => make({ ...meta, ...more }),
    };
  };
  return make({});
}

describe('secrets', () => {
  const env = useAwsTestEnv();

  afterEach(() => {
    jest.useRealTimers();
  });
  const seen: string[] = [];
  const issued: AwsCredentialIdentity[] = [];

  function remember(value: unknown) {
    if (value instanceof Error) {
      seen.push(value.message, value.stack ?? '');
    }
    // An error's cause and hidden properties included.
    seen.push(
      inspect(value, { depth: 20, showHidden: true }),
      JSON.stringify(value) ?? '',
    );
  }

  function config(tokenFile: string) {
    return {
      mainAccount: {
        accessKeyId: MAIN.accessKeyId,
        secretAccessKey: MAIN.secretAccessKey,
      },
      accounts: [
        {
          accountId: '333333333333',
          roleName: 'reader',
          externalId: EXTERNAL_ID,
        },
        {
          accountId: OTHER.accountId,
          roleName: 'own-keys',
          accessKeyId: OTHER.accessKeyId,
          secretAccessKey: OTHER.secretAccessKey,
        },
        {
          accountId: '444444444444',
          roleName: 'web',
          webIdentityTokenFile: tokenFile,
        },
        { accountId: '555555555555', profile: 'team' },
      ],
      accountDefaults: {
        roleName: 'fallback',
        externalId: DEFAULTS_EXTERNAL_ID,
      },
    };
  }

  it('never shows a configured or issued secret in logs, errors or inspected objects', async () => {
    const lines: string[] = [];
    const tokenFile = env.writeFile('token', TOKEN);
    env.writeFile(
      'credentials',
      `[team]\naws_access_key_id = ${PROFILE_KEY.id}\naws_secret_access_key = ${PROFILE_KEY.secret}\n`,
    );
    const clock = useFakeClock();

    // The service, with the root config changing under it.
    const source = MutableConfigSource.create({
      data: { aws: config(tokenFile) },
    });
    const rootConfig = await ConfigSources.toConfig(source);
    const service = await ServiceFactoryTester.from(
      awsCredentialsServiceFactory,
      {
        dependencies: [
          createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () => rootConfig,
          }),
          createServiceFactory({
            service: coreServices.rootLogger,
            deps: {},
            factory: () => capturingLogger(lines),
          }),
        ],
      },
    ).getSubject();
    remember(service);

    // Every kind of account, their credentials, and SDK-style use.
    for (const accountId of [
      '333333333333',
      OTHER.accountId,
      '444444444444',
      '555555555555',
      '666666666666',
      undefined,
    ]) {
      const provider = await service.getCredentialProvider({ accountId });
      remember(provider);
      const credentials = await provider.sdkCredentialProvider();
      issued.push(credentials);
    }

    // Refresh failures while still valid, then after expiry.
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied' },
      Infinity,
      'AssumeRole',
    );
    clock.advance(56 * 60_000); // inside the refresh window of an hour's life
    const role = await service.getCredentialProvider({
      accountId: '333333333333',
    });
    await role.sdkCredentialProvider().catch(remember);
    await settleUntil(() => lines.some(l => l.startsWith('warn ')));
    clock.advance(5 * 60_000); // expired
    await role.sdkCredentialProvider().then(remember, remember);
    env.sts.clearFaults();

    // A wrong secret, a signature STS refuses.
    const wrongSecret = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        aws: {
          accounts: [
            {
              accountId: '777777777777',
              roleName: 'r',
              accessKeyId: OTHER.accessKeyId,
              secretAccessKey: 'a-wrong-secret-that-must-stay-hidden-000',
            },
          ],
        },
      }),
      { logger: capturingLogger(lines) },
    );
    remember(wrongSecret);
    const wrong = await wrongSecret.getCredentialProvider({
      accountId: '777777777777',
    });
    await wrong.sdkCredentialProvider().then(remember, remember);

    // An emptied token file.
    env.writeFile('token', '');
    const web = await service.getCredentialProvider({
      accountId: '444444444444',
    });
    await web.sdkCredentialProvider().then(remember, remember);

    // Bad lookups (they name the caller's input, which is no configured secret).
    await service
      .getCredentialProvider({ arn: 'arn:aws:iam::x' })
      .catch(remember);
    await service
      .getCredentialProvider({ accountId: '999999999999' })
      .catch(remember);
    await service.getCredentialProvider({ accountId: 'nope' }).catch(remember);

    // Invalid configs, at start-up and on reload.
    for (const aws of [
      { mainAccount: { accessKeyId: MAIN.accessKeyId } },
      { mainAccount: { secretAccessKey: MAIN.secretAccessKey } },
      {
        mainAccount: {
          accessKeyId: MAIN.accessKeyId,
          secretAccessKey: MAIN.secretAccessKey,
          profile: 'x',
        },
      },
      { accounts: [{ accountId: '333333333333', externalId: EXTERNAL_ID }] },
      { accounts: [{ accountId: MAIN.secretAccessKey }] },
      {
        accounts: [
          {
            accountId: '333333333333',
            roleName: 'r',
            externalId: EXTERNAL_ID,
            webIdentityTokenFile: tokenFile,
          },
        ],
      },
      {
        accounts: [
          { accountId: '333333333333', secretAccesKey: MAIN.secretAccessKey },
        ],
      },
      {
        mainAccount: {
          accessKeyId: 12345,
          secretAccessKey: { nested: MAIN.secretAccessKey },
        },
      },
    ]) {
      const build = () =>
        DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }), {
          logger: capturingLogger(lines),
        });
      expect(build).toThrow(expect.objectContaining({ name: 'InputError' }));
      try {
        build();
      } catch (error) {
        remember(error);
      }
    }
    source.setData({
      aws: { accounts: [{ accountId: '1', externalId: EXTERNAL_ID }] },
    });
    await settleUntil(() =>
      lines.some(l =>
        l.startsWith('error Refused the changed AWS configuration'),
      ),
    );
    rootConfig.close();

    seen.push(...lines);
    expect(
      lines.some(l =>
        l.startsWith('error Refused the changed AWS configuration'),
      ),
    ).toBe(true);
    expect(lines.some(l => l.startsWith('warn Could not refresh'))).toBe(true);
    expect(
      lines.some(l => l.startsWith('debug Obtained AWS credentials')),
    ).toBe(true);

    const secrets = [
      MAIN.accessKeyId,
      MAIN.secretAccessKey,
      OTHER.accessKeyId,
      OTHER.secretAccessKey,
      'a-wrong-secret-that-must-stay-hidden-000',
      PROFILE_KEY.id,
      PROFILE_KEY.secret,
      EXTERNAL_ID,
      DEFAULTS_EXTERNAL_ID,
      TOKEN,
      ...issued.flatMap(c => [c.secretAccessKey, c.sessionToken ?? 'no-token']),
    ];
    expect(issued.filter(c => c.sessionToken).length).toBeGreaterThanOrEqual(4);
    const text = seen.join('\n');
    expect(text.length).toBeGreaterThan(5000);
    for (const secret of secrets) {
      expect({ secret, found: text.includes(secret) }).toEqual({
        secret,
        found: false,
      });
    }
  });

  it('keeps no key ID beyond 4 characters, session token or secret in an error the package throws, even inspected with showHidden at depth 20', async () => {
    // Temporary credentials with a session token sign every STS call below.
    const signer = await (
      await DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: MAIN.accessKeyId,
              secretAccessKey: MAIN.secretAccessKey,
            },
            accounts: [{ accountId: '333333333333', roleName: 'signer' }],
          },
        }),
      ).getCredentialProvider({ accountId: '333333333333' })
    ).sdkCredentialProvider();
    expect(signer.accessKeyId).toMatch(/^ASIA/);
    process.env.AWS_ACCESS_KEY_ID = signer.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = signer.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = signer.sessionToken;
    const aws = {
      accounts: [{ accountId: '444444444444', roleName: 'reader' }],
    };
    const manager = () =>
      DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }));
    env.sts.injectFault(
      { status: 403, code: 'AccessDenied', message: 'not authorized' },
      Infinity,
    );

    // An AssumeRole that STS refuses.
    const role = await manager().getCredentialProvider({
      accountId: '444444444444',
    });
    const lookup = await role.sdkCredentialProvider().catch(e => e);
    // The main account's ID, asked of STS with GetCallerIdentity.
    const mainId = await manager()
      .getCredentialProvider({ accountId: '999999999999' })
      .catch(e => e);
    // What `check --probe` reports.
    const probed = await probe(
      { accountId: '444444444444', externalId: false, requested: true },
      {
        manager: manager(),
        config: readAwsIntegrationConfig(new ConfigReader(aws)),
        timeoutMs: 5_000,
      },
    );

    for (const error of [lookup, mainId]) {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('AccessDenied');
    }
    expect(mainId.message).toMatch(
      /^Could not learn the main AWS account ID through STS GetCallerIdentity/,
    );
    expect(probed).toMatchObject({ ok: false, code: 'AccessDenied' });
    // What callers branch on stays.
    expect(lookup.cause).toMatchObject({
      name: 'AccessDenied',
      Code: 'AccessDenied',
      message: 'not authorized',
      $metadata: { httpStatusCode: 403, requestId: expect.any(String) },
    });
    expect(mainId.cause.cause).toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });

    const text = [lookup, mainId, probed]
      .flatMap(value => [
        inspect(value, { depth: 20, showHidden: true }),
        JSON.stringify(value),
      ])
      .join('\n');
    expect(text).toMatch(/not authorized/);
    for (const secret of [
      signer.accessKeyId.slice(0, 5),
      signer.accessKeyId.slice(4),
      signer.secretAccessKey,
      signer.sessionToken!,
      MAIN.accessKeyId.slice(4),
      MAIN.secretAccessKey,
    ]) {
      expect({ secret, found: text.includes(secret) }).toEqual({
        secret,
        found: false,
      });
    }
  });
});
