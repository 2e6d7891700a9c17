import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type {
  AwsCredentialProvider,
  AwsCredentialProviderOptions,
  AwsCredentialsManager,
} from '../types';
import { CredentialsRoot } from './CredentialsRoot';
import { PluginCredentialsView } from './PluginCredentialsView';

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
export class DefaultAwsCredentialsManager implements AwsCredentialsManager {
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
      CredentialsRoot.fromConfig(config, options.logger),
      options,
    );
  }

  // Private (#) fields stay out of util.inspect and JSON.stringify, so the
  // keys inside the config never show up in a log of this object.
  readonly #root: CredentialsRoot;
  readonly #view: PluginCredentialsView;

  private constructor(
    root: CredentialsRoot,
    options: AwsCredentialsManagerOptions,
  ) {
    this.#root = root;
    this.#view = new PluginCredentialsView(root, options);
  }

  /**
   * Replaces the configuration with a new root config. Providers of
   * unchanged accounts, and their cached credentials, are kept; providers
   * already handed out answer under the new config from their next call.
   *
   * @throws `InputError` for an invalid config; the old one stays in force.
   */
  reconfigure(config: Config): void {
    this.#root.reconfigure(config);
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
    return this.#view.getCredentialProvider(opts);
  }
}
