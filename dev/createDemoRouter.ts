import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import type { AwsCredentialsService } from '../src';
import { describeAwsConfig } from './describeAwsConfig';

/** What `GET /whoami` answers: who STS says the credentials belong to. */
export type WhoamiResponse = {
  account: string | null;
  callerArn: string | null;
  roleArn: string | null;
  stsRegion: string | null;
  /** ISO 8601; null for credentials that do not expire (static keys). */
  expiration: string | null;
};

/**
 * The routes of a demo plugin:
 *
 * - `GET /accounts`: the accounts of the `aws` config as this plugin sees
 *   them (its `aws.plugins.<pluginId>` settings applied), without secrets;
 * - `GET /whoami?accountId=…` or `?arn=…` (or neither, for the main
 *   account): STS GetCallerIdentity with the credentials the service hands
 *   out to this plugin for that lookup. The caller ARN of a role session
 *   names the role and the session name that STS saw;
 * - `GET /list-accounts`: `listAccounts()` of the service, the accounts
 *   this plugin may use (main, declared, and discovered in the AWS
 *   organization), allow-lists applied.
 */
export function createDemoRouter(options: {
  aws: AwsCredentialsService;
  config: RootConfigService;
  logger: LoggerService;
  /** The plugin the routes belong to. */
  pluginId: string;
}): express.Router {
  const { aws, config, logger, pluginId } = options;
  const router = express.Router();

  router.get('/accounts', (_req, res) => {
    // Read at each request, so that a reloaded config shows.
    res.json(describeAwsConfig(config, pluginId));
  });

  router.get(
    '/list-accounts',
    asyncHandler(async (_req, res) => {
      res.json(await aws.listAccounts());
    }),
  );

  router.get(
    '/whoami',
    asyncHandler(async (req, res) => {
      const provider = await aws.getCredentialProvider({
        accountId: queryString(req, 'accountId'),
        arn: queryString(req, 'arn'),
      });
      const credentials = await provider.sdkCredentialProvider();
      // The demo's own STS call goes where the package's calls go.
      const useFipsEndpoint = config.getOptionalBoolean(
        'aws.sts.useFipsEndpoint',
      );
      const sts = new STSClient({
        region: provider.stsRegion ?? 'us-east-1',
        credentials: provider.sdkCredentialProvider,
        endpoint: config.getOptionalString('aws.sts.endpoint'),
        useFipsEndpoint,
        ignoreConfiguredEndpointUrls: useFipsEndpoint,
      });
      try {
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        const body: WhoamiResponse = {
          account: identity.Account ?? null,
          callerArn: identity.Arn ?? null,
          roleArn: provider.roleArn ?? null,
          stsRegion: provider.stsRegion ?? null,
          expiration: credentials.expiration?.toISOString() ?? null,
        };
        res.json(body);
      } finally {
        sts.destroy();
      }
    }),
  );

  // InputError → 400, NotAllowedError → 403, NotFoundError → 404, with the
  // message in the body.
  router.use(
    MiddlewareFactory.create({ config, logger }).error({
      showStackTraces: false,
    }),
  );
  return router;
}

/** A query parameter given at most once, as a plain string. */
function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || typeof value === 'string') {
    return value;
  }
  throw new InputError(`Give the query parameter '${name}' once, as a string`);
}

/** Express 4 does not pass a rejected promise on to the error handler. */
function asyncHandler(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}
