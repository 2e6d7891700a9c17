import { sdk } from './sdk';

/**
 * The STS region of partitions that the SDK's partition data does not
 * answer the way AWS documents; the others take the SDK's data. The
 * original package used us-east-1 everywhere, which cannot work in aws-cn
 * or aws-us-gov.
 */
const DOCUMENTED_STS_REGIONS: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  // The SDK's partition data has no "-global" pseudo-region for this one.
  'aws-eusc': 'eusc-de-east-1',
};

/** The session name of every role session this package starts. */
export const ROLE_SESSION_NAME = 'backstage';

/** The user agent suffix of this package's STS calls. */
export const USER_AGENT = 'backstage-aws-credentials';

/** The STS region to use in a partition when none is configured. */
export function defaultStsRegion(partition: string = 'aws'): string {
  const documented = DOCUMENTED_STS_REGIONS[partition];
  if (documented) {
    return documented;
  }
  // The SDK's data names each partition's STS region "implicitGlobalRegion";
  // the published type does not declare the field yet.
  const info: { name: string; implicitGlobalRegion?: string } = sdk
    .utilEndpoints()
    .partition(`${partition}-global`);
  if (info.name === partition && info.implicitGlobalRegion) {
    return info.implicitGlobalRegion;
  }
  return DOCUMENTED_STS_REGIONS.aws;
}

/** `arn:{partition}:iam::{accountId}:role/{roleName}` */
export function roleArnOf(
  accountId: string,
  roleName: string,
  partition: string = 'aws',
): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

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
 * Client settings for the STS clients inside the SDK's credential
 * providers: the region, and a per-request bound so that a silent STS
 * cannot hold a socket open past the fetch's own timeout.
 */
export function stsClientConfig(region: string | undefined, timeoutMs: number) {
  return {
    region,
    customUserAgent: USER_AGENT,
    requestHandler: {
      requestTimeout: timeoutMs,
      connectionTimeout: timeoutMs,
      // Without this the handler only logs a warning when the time is up.
      throwOnRequestTimeout: true,
    },
  };
}
