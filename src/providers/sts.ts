import type { STSClient } from '@aws-sdk/client-sts';
import { sdk } from '../aws/sdk';
import type { AwsIntegrationConfig } from '../types';

/** The session name of every role session this package starts. */
export const ROLE_SESSION_NAME = 'backstage';

/** The user agent suffix of this package's STS calls. */
export const USER_AGENT = 'backstage-aws-credentials';

/** `aws.sts`: where the STS calls of this package go. */
export type StsSettings = NonNullable<AwsIntegrationConfig['sts']>;

/** Whether `aws.sts` changes anything: without it the SDK's own settings apply. */
export function hasStsSettings(sts: StsSettings): boolean {
  return sts.endpoint !== undefined || sts.useFipsEndpoint !== undefined;
}

/**
 * The STS endpoint the SDK will call for a region, for error messages:
 * `aws.sts` first, then the SDK's endpoint settings from the environment,
 * then the region's own endpoint (its FIPS one if FIPS is on), as the SDK
 * chooses them given {@link stsClientConfig}.
 */
export function stsEndpointOf(region: string, sts: StsSettings = {}): string {
  if (sts.endpoint) {
    return sts.endpoint;
  }
  // With FIPS on in the config, the environment's URLs are ignored.
  if (
    sts.useFipsEndpoint !== true &&
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true'
  ) {
    const configured =
      process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
    if (configured) {
      return configured;
    }
  }
  const fips =
    sts.useFipsEndpoint ?? process.env.AWS_USE_FIPS_ENDPOINT === 'true';
  return defaultStsEndpoint(region, fips);
}

let resolveEndpoint: STSClient['config']['endpointProvider'] | undefined;

/** The region's STS endpoint by the SDK's own rules (FIPS host names differ by partition). */
function defaultStsEndpoint(region: string, fips: boolean): string {
  try {
    if (!resolveEndpoint) {
      const client = new (sdk.clientSts().STSClient)({ region });
      resolveEndpoint = client.config.endpointProvider;
      client.destroy();
    }
    const { href } = resolveEndpoint({
      Region: region,
      UseFIPS: fips,
      UseDualStack: false,
      UseGlobalEndpoint: false,
    }).url;
    return href.replace(/\/$/, '');
  } catch {
    // e.g. FIPS in a partition without it; the SDK's error will say so.
    const { dnsSuffix } = sdk.utilEndpoints().partition(region);
    return `https://sts${fips ? '-fips' : ''}.${region}.${dnsSuffix}`;
  }
}

/**
 * The client settings that point an STS client at `aws.sts`; empty without
 * it, so the SDK's own settings apply. STS clients only: given to another
 * client (SSO, for instance), the endpoint would send it to STS.
 */
function stsEndpointConfig(sts: StsSettings) {
  return {
    ...(sts.endpoint && { endpoint: sts.endpoint }),
    ...(sts.useFipsEndpoint !== undefined && {
      useFipsEndpoint: sts.useFipsEndpoint,
    }),
    // The SDK refuses FIPS together with an endpoint URL, and the config's
    // choice wins over the URLs of the environment.
    ...(sts.useFipsEndpoint && { ignoreConfiguredEndpointUrls: true }),
  };
}

/**
 * Client settings for the clients of one fetch: the region, and a request
 * handler that gives up when the fetch's signal is aborted, so that
 * neither the request in flight nor a retry outlives the fetch's time
 * (the SDK retries on its own, and would otherwise go on after our caller
 * got its TimeoutError). `clientConfig` suits any client a credential
 * provider makes; `stsConfig` adds `aws.sts` and is for STS clients only.
 * Call `destroy()` once the fetch is over.
 */
export function stsClientConfig(
  region: string | undefined,
  timeoutMs: number,
  abortSignal: AbortSignal,
  sts: StsSettings = {},
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
  const clientConfig = {
    region,
    customUserAgent: USER_AGENT,
    requestHandler: inner,
  };
  return {
    clientConfig,
    stsConfig: { ...clientConfig, ...stsEndpointConfig(sts) },
    /** Whether `aws.sts` changes anything, i.e. `stsConfig` differs. */
    hasStsSettings: hasStsSettings(sts),
    destroy: () => inner.destroy(),
  };
}
