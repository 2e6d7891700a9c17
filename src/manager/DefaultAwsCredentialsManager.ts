import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { ConnectionsService } from '@backstage/connections';
import type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsAccountListing,
  AwsCredentialsService,
  AwsIntegrationConfig,
} from '../types';
import { ConnectionCredentials } from './ConnectionCredentials';
import { CredentialsRoot } from './CredentialsRoot';
import { PluginCredentialsView } from './PluginCredentialsView';
import { readConfig } from './readConfig';

export { DEFAULT_CREDENTIALS_TIMEOUT_MS } from './CredentialsRoot';

/**
 * Options of {@link DefaultAwsCredentialsManager.fromConfig}.
 *
 * @public
 */
export interface AwsCredentialsManagerOptions {
  /** Where start-up, refresh and lookup events are logged. */
  logger?: LoggerService;
  /**
   * The plugin this manager serves: its `aws.plugins.<pluginId>` settings
   * apply, and `{pluginId}` in session names and tags becomes it. Without
   * it, no plugin settings apply and `{pluginId}` becomes `backstage`.
   */
  pluginId?: string;
}

/**
 * Hands out cached AWS credentials for the accounts of the `aws` config,
 * with the same config keys, types and lookup rules as
 * `DefaultAwsCredentialsManager` of `@backstage/integration-aws-node`.
 * Backend plugins get theirs from `awsCredentialsServiceRef` instead,
 * where every plugin shares one cache.
 *
 * @public
 * @example
 * ```ts
 * const manager = DefaultAwsCredentialsManager.fromConfig(config, { logger });
 * const { sdkCredentialProvider } = await manager.getCredentialProvider({
 *   arn: 'arn:aws:sqs:eu-west-1:111111111111:my-queue',
 * });
 * const sqs = new SQSClient({ credentials: sdkCredentialProvider });
 * ```
 */
export class DefaultAwsCredentialsManager implements AwsCredentialsService {
  /**
   * Reads and validates the `aws` block of the root config.
   *
   * @throws `InputError` naming every bad key path and its fix.
   */
  static fromConfig(
    config: Config,
    options: AwsCredentialsManagerOptions = {},
  ): DefaultAwsCredentialsManager {
    return new DefaultAwsCredentialsManager(
      readConfig(config, options.logger),
      options,
    );
  }

  /**
   * A manager over the `aws` connection that `connections` (a plugin's
   * connections service) finds, with the lookup rules of the original
   * package's method of the same name; see
   * `createAwsCredentialsManagerFromConnection` of
   * `backstage-aws-credentials/alpha`.
   *
   * @internal
   */
  static experimentalFromConnections(
    connections: ConnectionsService,
  ): DefaultAwsCredentialsManager {
    const manager = new DefaultAwsCredentialsManager(
      { accounts: [], mainAccount: {}, accountDefaults: {} },
      {},
    );
    manager.#connections = new ConnectionCredentials(connections);
    return manager;
  }

  // Private (#) fields stay out of util.inspect and JSON.stringify, so the
  // keys inside the config never show up in a log of this object.
  readonly #options: AwsCredentialsManagerOptions;
  /** The lookups of a manager made from a connections service. */
  #connections: ConnectionCredentials | undefined;
  /** The config as read at construction, until the root takes it over. */
  #config: AwsIntegrationConfig | undefined;
  #root: CredentialsRoot | undefined;
  #view: PluginCredentialsView | undefined;

  private constructor(
    config: AwsIntegrationConfig,
    options: AwsCredentialsManagerOptions,
  ) {
    this.#config = config;
    this.#options = options;
  }

  /**
   * The root and the view, built at first use: a manager that is
   * constructed but never asked costs only the reading of its config.
   */
  #start(): PluginCredentialsView {
    this.#root = CredentialsRoot.fromValidated(
      this.#config!,
      this.#options.logger,
    );
    this.#config = undefined;
    this.#view = new PluginCredentialsView(this.#root, this.#options);
    return this.#view;
  }

  /**
   * Replaces the configuration with a new root config. Providers of
   * unchanged accounts, and their cached credentials, are kept; providers
   * already handed out answer under the new config: their fields at once,
   * their credentials (or the error a fresh lookup gets) from their next
   * call.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    if (this.#connections) {
      throw new Error(
        'A manager made from a connections service answers from that service; it has no config to replace',
      );
    }
    if (!this.#root) {
      this.#start();
    }
    this.#root!.reconfigure(config);
  }

  /**
   * Returns the credentials for an account ID, for the account of a
   * resource ARN, or for the main account. Every failure is a rejected
   * promise.
   *
   * @throws `InputError` for a malformed account ID or ARN,
   * `NotFoundError` for an account that is not configured,
   * `NotAllowedError` for an account an allow-list leaves out.
   */
  getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    return (
      this.#connections ??
      this.#view ??
      this.#start()
    ).getCredentialProvider(opts);
  }

  /** The accounts this manager serves: main, declared, discovered in the organization. */
  listAccounts(): Promise<AwsAccountListing[]> {
    return (this.#view ?? this.#start()).listAccounts();
  }
}
