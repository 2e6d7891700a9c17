import { sdk } from '../aws/sdk';

/** The session name of every role session this package starts. */
export const ROLE_SESSION_NAME = 'backstage';

/** The user agent suffix of this package's STS calls. */
export const USER_AGENT = 'backstage-aws-credentials';

/**
 * The STS endpoint the SDK will call for a region, for error messages: the
 * SDK's endpoint settings from the environment win, as they do in the SDK.
 */
export function stsEndpointOf(region: string): string {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true') {
    const configured =
      process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
    if (configured) {
      return configured;
    }
  }
  return `https://sts.${region}.${
    sdk.utilEndpoints().partition(region).dnsSuffix
  }`;
}

/**
 * Client settings for an STS client of one fetch: the region, and a
 * request handler that gives up when the fetch's signal is aborted, so
 * that neither the request in flight nor a retry outlives the fetch's
 * time (the SDK retries on its own, and would otherwise go on after our
 * caller got its TimeoutError). Call `destroy()` once the fetch is over.
 */
export function stsClientConfig(
  region: string | undefined,
  timeoutMs: number,
  abortSignal: AbortSignal,
) {
  const { NodeHttpHandler } = sdk.nodeHttpHandler();
  const inner = new NodeHttpHandler({
    requestTimeout: timeoutMs,
    connectionTimeout: timeoutMs,
    // Without this the handler only logs a warning when the time is up.
    throwOnRequestTimeout: true,
  });
  const handle = inner.handle.bind(inner);
  inner.handle = (request, options) =>
    handle(request, { ...options, abortSignal });
  return {
    clientConfig: {
      region,
      customUserAgent: USER_AGENT,
      requestHandler: inner,
    },
    destroy: () => inner.destroy(),
  };
}
