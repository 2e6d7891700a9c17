import { existsSync } from 'node:fs';
import { defaultStsRegion, isKnownPartition } from '../aws/partitions';
import type { AwsIntegrationConfig } from '../types';

/** Something in a valid config that may still not work, with its key path. */
export type ConfigWarning = { path: string; message: string };

/**
 * What a valid config may still get wrong at run time: a token file that
 * is not mounted yet, or a partition newer than this AWS SDK.
 */
export function configWarnings(config: AwsIntegrationConfig): ConfigWarning[] {
  const blocks = [
    { path: 'aws.accountDefaults', block: config.accountDefaults },
    ...config.accounts.map((block, i) => ({
      path: `aws.accounts[${i}]`,
      block,
    })),
  ];
  const warnings: ConfigWarning[] = [];
  for (const { path, block } of blocks) {
    const file = block.webIdentityTokenFile;
    if (file && !existsSync(file)) {
      warnings.push({
        path: `${path}.webIdentityTokenFile`,
        message: `${path}.webIdentityTokenFile ${file} does not exist yet; credentials for this role will fail until it does`,
      });
    }
    const partition = block.partition;
    if (partition && !isKnownPartition(partition)) {
      const where = block.region
        ? `its STS region is ${path}.region (${block.region})`
        : `set ${path}.region to its STS region, or lookups of this role will fail`;
      warnings.push({
        path: `${path}.partition`,
        message: `${path}.partition '${partition}' is not a partition this AWS SDK knows; ${where}`,
      });
    }
  }
  return warnings;
}

/**
 * The STS region of a role: the configured one, else the partition's.
 *
 * @throws Error naming `path` for a partition without a known STS region.
 */
export function stsRegionOf(
  block: { partition?: string; region?: string },
  path: string,
): string {
  const region = block.region ?? defaultStsRegion(block.partition);
  if (!region) {
    throw new Error(
      `${path}.partition '${block.partition}' is not a partition this AWS SDK knows, so its STS region is unknown; set ${path}.region (or update the @aws-sdk packages)`,
    );
  }
  return region;
}
