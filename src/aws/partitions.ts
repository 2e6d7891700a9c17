import { sdk } from './sdk';

/**
 * STS regions that AWS documents for partitions where the SDK's partition
 * data answers otherwise (aws-cn) or has no global pseudo-region to ask
 * (aws-eusc). Every other partition is taken from the SDK's data, so a
 * partition that AWS adds reaches users with an SDK update, not ours.
 */
const DOCUMENTED_STS_REGIONS: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-eusc': 'eusc-de-east-1',
};

/** `aws`, or `aws-` followed by lowercase words: the shape of every partition name. */
const PARTITION_NAME = /^aws(-[a-z]+)*$/;

/**
 * Names offered in "did you mean" hints. Only hints: whether a partition
 * is known is asked of the SDK's data for any name.
 */
const HINTS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

/**
 * The STS region the SDK's partition data gives a partition, if it knows
 * the partition. The data names it "implicitGlobalRegion"; the published
 * type does not declare the field yet.
 */
function sdkStsRegion(partition: string): string | undefined {
  const info: { name: string; implicitGlobalRegion?: string } = sdk
    .utilEndpoints()
    .partition(`${partition}-global`);
  return info.name === partition ? info.implicitGlobalRegion : undefined;
}

/** Whether `name` has the shape of a partition name. */
export function isWellFormedPartition(name: string): boolean {
  return PARTITION_NAME.test(name);
}

/** Whether AWS's data (the SDK's, or AWS's documentation) knows `name`. */
export function isKnownPartition(name: string): boolean {
  return name in DOCUMENTED_STS_REGIONS || sdkStsRegion(name) !== undefined;
}

/** Known partitions to suggest for a misspelt one. */
export function partitionHints(): string[] {
  return HINTS.filter(isKnownPartition);
}

/**
 * The STS region to use in a partition when none is configured, or
 * undefined for a partition that neither AWS's documentation nor the SDK's
 * data knows. The original package used us-east-1 everywhere, which cannot
 * work in aws-cn or aws-us-gov.
 */
export function defaultStsRegion(
  partition: string = 'aws',
): string | undefined {
  return DOCUMENTED_STS_REGIONS[partition] ?? sdkStsRegion(partition);
}
