import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LoopbackSts } from '../../loopbackSts';
import {
  MAIN,
  OTHER,
  useAwsTestEnv,
  MAIN_KEYS,
} from '../__testUtils__/awsTestEnv';
import { DefaultAwsCredentialsManager } from './DefaultAwsCredentialsManager';

const mainAccount = MAIN_KEYS;
const ROLE_ACCOUNT = '333333333333';
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/reader`;
const roleAccount = { accountId: ROLE_ACCOUNT, roleName: 'reader' };

function managerFor(aws: object) {
  return DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws }), {
    logger: mockServices.logger.mock(),
  });
}

async function credentialsOf(
  manager: DefaultAwsCredentialsManager,
  accountId?: string,
) {
  const provider = await manager.getCredentialProvider(
    accountId ? { accountId } : undefined,
  );
  return provider.sdkCredentialProvider();
}

describe('DefaultAwsCredentialsManager with aws.sts', () => {
  // The environment points the SDK at `env.sts` (AWS_ENDPOINT_URL_STS), as
  // a user's shell might; `configured` is the STS that aws.sts names.
  const env = useAwsTestEnv();
  let configured: LoopbackSts;

  beforeAll(async () => {
    configured = await LoopbackSts.start();
  });

  beforeEach(() => {
    configured.reset();
    for (const user of [MAIN, OTHER]) {
      configured.addUser(user.accessKeyId, user.secretAccessKey, {
        account: user.accountId,
        arn: user.arn,
      });
    }
  });

  afterAll(async () => {
    await configured.stop();
  });

  function sts() {
    return { endpoint: configured.url };
  }

  describe('aws.sts.endpoint wins over AWS_ENDPOINT_URL_STS', () => {
    it('sends AssumeRole to the configured endpoint', async () => {
      const manager = managerFor({
        mainAccount,
        accounts: [roleAccount],
        sts: sts(),
      });

      const credentials = await credentialsOf(manager, ROLE_ACCOUNT);

      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      const [call] = configured.callsOf('AssumeRole');
      expect(call.params.RoleArn).toBe(ROLE_ARN);
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
      expect(call.region).toBe('us-east-1');
      expect(env.sts.calls).toHaveLength(0);
    });

    it('sends AssumeRoleWithWebIdentity to the configured endpoint', async () => {
      const tokenFile = env.writeFile('token', 'a-token');
      const manager = managerFor({
        accounts: [{ ...roleAccount, webIdentityTokenFile: tokenFile }],
        sts: sts(),
      });

      await credentialsOf(manager, ROLE_ACCOUNT);

      expect(configured.callsOf('AssumeRoleWithWebIdentity')).toHaveLength(1);
      expect(env.sts.calls).toHaveLength(0);
    });

    it('asks the configured endpoint who the main account is', async () => {
      const manager = managerFor({ mainAccount, sts: sts() });

      const provider = await manager.getCredentialProvider({
        accountId: MAIN.accountId,
      });

      expect(provider.accountId).toBe(MAIN.accountId);
      const [call] = configured.callsOf('GetCallerIdentity');
      expect(call.accessKeyId).toBe(MAIN.accessKeyId);
      expect(env.sts.calls).toHaveLength(0);
    });

    it("sends a profile's role assumption to the configured endpoint, in the profile's region", async () => {
      env.writeFile(
        'credentials',
        `[base]\naws_access_key_id = ${MAIN.accessKeyId}\naws_secret_access_key = ${MAIN.secretAccessKey}\n`,
      );
      env.writeFile(
        'config',
        `[profile ops]\nregion = eu-west-2\nrole_arn = arn:aws:iam::555555555555:role/ops\nsource_profile = base\n`,
      );
      const manager = managerFor({
        mainAccount: { profile: 'ops' },
        sts: sts(),
      });

      const credentials = await credentialsOf(manager);

      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      const [call] = configured.callsOf('AssumeRole');
      expect(call.params.RoleArn).toBe('arn:aws:iam::555555555555:role/ops');
      expect(call.region).toBe('eu-west-2');
      expect(env.sts.calls).toHaveLength(0);
    });

    it("sends the default chain's web identity call to the configured endpoint", async () => {
      process.env.AWS_WEB_IDENTITY_TOKEN_FILE = env.writeFile('token', 'tok');
      process.env.AWS_ROLE_ARN = ROLE_ARN;
      const manager = managerFor({
        mainAccount: { region: 'eu-central-1' },
        sts: sts(),
      });

      await credentialsOf(manager);

      const [call] = configured.callsOf('AssumeRoleWithWebIdentity');
      expect(call.params.RoleArn).toBe(ROLE_ARN);
      expect(env.sts.calls).toHaveLength(0);
    });

    it("sends the default chain's profile role assumption to the configured endpoint", async () => {
      env.writeFile(
        'credentials',
        `[base]\naws_access_key_id = ${MAIN.accessKeyId}\naws_secret_access_key = ${MAIN.secretAccessKey}\n`,
      );
      env.writeFile(
        'config',
        `[profile ops]\nrole_arn = arn:aws:iam::555555555555:role/ops\nsource_profile = base\n`,
      );
      process.env.AWS_PROFILE = 'ops';
      const manager = managerFor({
        mainAccount: { region: 'eu-central-1' },
        sts: sts(),
      });

      await credentialsOf(manager);

      const [call] = configured.callsOf('AssumeRole');
      expect(call.region).toBe('eu-central-1');
      expect(env.sts.calls).toHaveLength(0);
    });
  });

  describe('without aws.sts', () => {
    it('keeps following AWS_ENDPOINT_URL_STS', async () => {
      const manager = managerFor({ mainAccount, accounts: [roleAccount] });

      await credentialsOf(manager, ROLE_ACCOUNT);

      expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
      expect(configured.calls).toHaveLength(0);
    });

    it('keeps following AWS_ENDPOINT_URL when no STS-specific URL is set', async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      process.env.AWS_ENDPOINT_URL = configured.url;
      const manager = managerFor({ mainAccount, accounts: [roleAccount] });

      await credentialsOf(manager, ROLE_ACCOUNT);

      expect(configured.callsOf('AssumeRole')).toHaveLength(1);
    });
  });

  describe('error messages', () => {
    it('name the configured endpoint of a failed AssumeRole', async () => {
      configured.injectFault(
        { status: 403, code: 'AccessDenied', message: 'not authorized' },
        1,
        'AssumeRole',
      );
      const manager = managerFor({
        mainAccount,
        accounts: [roleAccount],
        sts: sts(),
      });

      const error = await credentialsOf(manager, ROLE_ACCOUNT).catch(e => e);

      expect(error.name).toBe('AccessDenied');
      expect(error.message).toContain(
        `${ROLE_ARN} with the main account's credentials through STS in us-east-1 at ${configured.url}`,
      );
      expect(error.message).not.toContain(env.sts.url);
    });

    it('name the configured endpoint of a failed GetCallerIdentity', async () => {
      configured.injectFault(
        { status: 403, code: 'InvalidClientTokenId', message: 'bad key' },
        1,
        'GetCallerIdentity',
      );
      const manager = managerFor({ mainAccount, sts: sts() });

      const error = await manager
        .getCredentialProvider({ accountId: '999999999999' })
        .catch(e => e);

      expect(error.name).toBe('InvalidClientTokenId');
      expect(error.message).toContain(
        `STS GetCallerIdentity in us-east-1 at ${configured.url} failed`,
      );
      expect(error.message).toContain('InvalidClientTokenId: bad key');
    });

    it('name the endpoint from the environment without aws.sts', async () => {
      env.sts.injectFault(
        { status: 403, code: 'AccessDenied', message: 'no' },
        1,
        'AssumeRole',
      );
      const manager = managerFor({ mainAccount, accounts: [roleAccount] });

      const error = await credentialsOf(manager, ROLE_ACCOUNT).catch(e => e);

      expect(error.message).toContain(`STS in us-east-1 at ${env.sts.url}`);
    });
  });

  describe('reload', () => {
    it('moves held providers to a new endpoint at their next call', async () => {
      const manager = managerFor({ mainAccount, accounts: [roleAccount] });
      const provider = await manager.getCredentialProvider({
        accountId: ROLE_ACCOUNT,
      });
      const before = await provider.sdkCredentialProvider();
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);

      manager.reconfigure(
        new ConfigReader({
          aws: { mainAccount, accounts: [roleAccount], sts: sts() },
        }),
      );
      const after = await provider.sdkCredentialProvider();

      expect(after.accessKeyId).not.toBe(before.accessKeyId);
      expect(configured.callsOf('AssumeRole')).toHaveLength(1);
      expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
    });

    it('keeps cached credentials when the endpoint stays the same', async () => {
      const aws = { mainAccount, accounts: [roleAccount], sts: sts() };
      const manager = managerFor(aws);
      const provider = await manager.getCredentialProvider({
        accountId: ROLE_ACCOUNT,
      });
      const before = await provider.sdkCredentialProvider();

      manager.reconfigure(new ConfigReader({ aws: { ...aws } }));

      await expect(provider.sdkCredentialProvider()).resolves.toEqual(before);
      expect(configured.callsOf('AssumeRole')).toHaveLength(1);
    });
  });

  describe('aws.sts.useFipsEndpoint', () => {
    // A FIPS endpoint is a public AWS host name, which tests must never
    // reach: the request handler that this package gives the SDK's STS
    // clients records where each request would go and fails it instead.
    // Endpoint resolution, the part under test, is the SDK's own.
    let hosts: string[];

    beforeEach(() => {
      hosts = [];
      jest
        .spyOn(NodeHttpHandler.prototype, 'handle')
        .mockImplementation(async request => {
          hosts.push(`${request.protocol}//${request.hostname}`);
          throw Object.assign(new Error('no network in tests'), {
            name: 'RequestStopped',
          });
        });
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('sends AssumeRole to the FIPS endpoint, not to AWS_ENDPOINT_URL_STS, and names it in errors', async () => {
      const manager = managerFor({
        mainAccount,
        accounts: [roleAccount],
        sts: { useFipsEndpoint: true },
      });

      const error = await credentialsOf(manager, ROLE_ACCOUNT).catch(e => e);

      expect(hosts.length).toBeGreaterThan(0);
      expect(new Set(hosts)).toEqual(
        new Set(['https://sts-fips.us-east-1.amazonaws.com']),
      );
      expect(error.message).toContain(
        'through STS in us-east-1 at https://sts-fips.us-east-1.amazonaws.com',
      );
      expect(env.sts.calls).toHaveLength(0);
    });

    it("uses the FIPS endpoint of the role's own region", async () => {
      const manager = managerFor({
        mainAccount,
        accounts: [{ ...roleAccount, region: 'us-west-2' }],
        sts: { useFipsEndpoint: true },
      });

      await credentialsOf(manager, ROLE_ACCOUNT).catch(() => undefined);

      expect(new Set(hosts)).toEqual(
        new Set(['https://sts-fips.us-west-2.amazonaws.com']),
      );
    });

    it("sends a profile's role assumption to the FIPS endpoint", async () => {
      env.writeFile(
        'credentials',
        `[base]\naws_access_key_id = ${MAIN.accessKeyId}\naws_secret_access_key = ${MAIN.secretAccessKey}\n`,
      );
      env.writeFile(
        'config',
        `[profile ops]\nrole_arn = arn:aws:iam::555555555555:role/ops\nsource_profile = base\n`,
      );
      const manager = managerFor({
        mainAccount: { profile: 'ops', region: 'eu-west-1' },
        sts: { useFipsEndpoint: true },
      });

      await credentialsOf(manager).catch(() => undefined);

      expect(new Set(hosts)).toEqual(
        new Set(['https://sts-fips.eu-west-1.amazonaws.com']),
      );
    });
  });

  it('useFipsEndpoint: false wins over AWS_USE_FIPS_ENDPOINT, which the SDK would refuse with an endpoint URL', async () => {
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    const manager = managerFor({
      mainAccount,
      accounts: [roleAccount],
      sts: { useFipsEndpoint: false },
    });

    await credentialsOf(manager, ROLE_ACCOUNT);

    expect(env.sts.callsOf('AssumeRole')).toHaveLength(1);
  });
});
