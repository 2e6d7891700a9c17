import type { ConnectionsService } from '@backstage/connections';
import { isError } from '@backstage/errors';
import { accountIdOfLookup } from '../aws/identifiers';
import { KeyPaths, withKeyPaths } from '../config/keyPaths';
import { accountSource, ResolvedSource } from '../providers/resolveSource';
import type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
  AwsIntegrationAccountConfig,
  AwsIntegrationMainAccountConfig,
} from '../types';
import { MAIN_OWNER, ownerOf } from './ConfiguredAccounts';
import { CredentialsRoot } from './CredentialsRoot';
import { notConfigured } from './lookupErrors';
import { DEFAULT_CREDENTIALS_TIMEOUT_MS } from './readConfig';

/** What errors and descriptions name: the connection as the service hands it out. */
const CONNECTION = 'the aws connection';
const PATHS: KeyPaths = {
  origin: CONNECTION,
  mainAccount: `the mainAccount entry of ${CONNECTION}`,
  accountDefaults: CONNECTION,
  account: () => `an auth entry of ${CONNECTION}`,
  pluginAccount: () => `an auth entry of ${CONNECTION}`,
  mainAccountIdFix: `set accountId on the mainAccount entry of ${CONNECTION}`,
  addAccountFix: accountId =>
    `Add an auth entry with accountId '${accountId}' to ${CONNECTION} (with a roleName, static keys or a profile), or set roleName on ${CONNECTION} to reach every account through a role.`,
  ignoredKeys: [],
};

type Query = { accountId?: string };

/** The aws connection and the auth entry the service picks for `query`. */
async function findAws(connections: ConnectionsService, query: Query) {
  try {
    return await connections.find({
      type: 'aws',
      query,
      authMethods: ['account'],
    });
  } catch (error) {
    // As the original: no aws connection (or no entry for this plugin)
    // is the default chain, not a failure.
    if (isError(error) && error.name === 'NotFoundError') {
      return undefined;
    }
    throw error;
  }
}

type Found = NonNullable<Awaited<ReturnType<typeof findAws>>>;

/** The keys of an entry that say how its account is reached. */
function accountOf(
  auth: Found['auth'],
  accountId: string,
): AwsIntegrationAccountConfig {
  const { accessKeyId, secretAccessKey, profile, roleName } = auth;
  const { partition, region, externalId, webIdentityTokenFile } = auth;
  return withoutUndefined({
    accountId,
    accessKeyId,
    secretAccessKey,
    profile,
    roleName,
    partition,
    region,
    externalId,
    webIdentityTokenFile,
  });
}

/**
 * The credentials of the `aws` connection that a plugin's connections
 * service finds, with the original package's lookup rules for it: an
 * entry of the account is used as written; an account without one
 * assumes the connection's role with the `mainAccount` entry's
 * credentials; those credentials are handed out as they are only for the
 * main account's own ID; no account means the `mainAccount` entry, and no
 * aws connection the default chain. `find` is asked once for the main
 * entry and once per account served (a failed answer is asked again);
 * the credentials come from this package's cache (refresh ahead, single
 * flight, timeouts, metrics), one per manager.
 */
export class ConnectionCredentials implements AwsCredentialsManager {
  readonly #connections: ConnectionsService;
  #root: Promise<CredentialsRoot> | undefined;
  /** Answers handed out, by account ID (MAIN_OWNER for no account). */
  readonly #answers = new Map<string, Promise<AwsCredentialProvider>>();

  constructor(connections: ConnectionsService) {
    this.#connections = connections;
  }

  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    let accountId: string | undefined;
    try {
      accountId = accountIdOfLookup(opts ?? {});
    } catch (error) {
      return Promise.reject(error);
    }
    const owner = accountId ?? MAIN_OWNER;
    let answer = this.#answers.get(owner);
    if (!answer) {
      const fresh = this.#lookUp(accountId);
      fresh.catch(() => {
        if (this.#answers.get(owner) === fresh) {
          this.#answers.delete(owner);
        }
      });
      this.#answers.set(owner, fresh);
      answer = fresh;
    }
    return answer;
  }

  /** The root over the main entry, found once; a failure is not kept. */
  #start(): Promise<CredentialsRoot> {
    if (!this.#root) {
      const root = findAws(this.#connections, {}).then(found => {
        const main: AwsIntegrationMainAccountConfig = found?.auth.mainAccount
          ? withoutUndefined({
              accountId: found.auth.accountId,
              accessKeyId: found.auth.accessKeyId,
              secretAccessKey: found.auth.secretAccessKey,
              profile: found.auth.profile,
              region: found.auth.region,
            })
          : {};
        return CredentialsRoot.fromValidated(
          withKeyPaths(
            { mainAccount: main, accounts: [], accountDefaults: {} },
            PATHS,
          ),
        );
      });
      root.catch(() => {
        if (this.#root === root) {
          this.#root = undefined;
        }
      });
      this.#root = root;
    }
    return this.#root;
  }

  async #lookUp(accountId: string | undefined): Promise<AwsCredentialProvider> {
    const root = await this.#start();
    if (!accountId) {
      return mainProvider(root, root.knownMainAccountId());
    }
    const found = await findAws(this.#connections, { accountId });
    const source = found && sourceOf(found, accountId, root);
    if (source) {
      const { description } = source;
      return withoutUndefined({
        accountId,
        stsRegion: description.stsRegion,
        roleArn: description.roleArn,
        sdkCredentialProvider: root.cached(
          source,
          ownerOf(undefined, accountId),
        ),
      });
    }
    if (accountId === (await root.mainAccountId())) {
      return mainProvider(root, accountId);
    }
    throw notConfigured(accountId, PATHS);
  }
}

/** The entry of the account as written, else the connection's role. */
function sourceOf(
  found: Found,
  accountId: string,
  root: CredentialsRoot,
): ResolvedSource | undefined {
  const mainKey = root.accounts.main.key;
  const timeoutMs = DEFAULT_CREDENTIALS_TIMEOUT_MS;
  if (found.auth.accountId === accountId) {
    return accountSource(
      accountOf(found.auth, accountId),
      `the auth entry of account ${accountId} in ${CONNECTION}`,
      mainKey,
      timeoutMs,
    );
  }
  const { roleName, partition, region, externalId, webIdentityTokenFile } =
    found;
  if (!roleName) {
    return undefined;
  }
  return accountSource(
    withoutUndefined({
      accountId,
      roleName,
      partition,
      region,
      externalId,
      webIdentityTokenFile,
    }),
    CONNECTION,
    mainKey,
    timeoutMs,
  );
}

function mainProvider(
  root: CredentialsRoot,
  accountId: string | undefined,
): AwsCredentialProvider {
  return withoutUndefined({
    accountId,
    stsRegion: root.accounts.config.mainAccount.region,
    sdkCredentialProvider: root.cached(root.accounts.main, MAIN_OWNER),
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
