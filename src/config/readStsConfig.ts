import { JsonObject } from '@backstage/config';
import type { AwsIntegrationConfig } from '../types';
import { checkKnownKeys, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';

const PATH = 'aws.sts';
const STS_KEYS = ['endpoint', 'useFipsEndpoint'];
const EXAMPLES =
  'such as https://sts.eu-west-1.amazonaws.com or http://localhost:4566';

/**
 * Reads `aws.sts`, the STS endpoint settings. The endpoint is never quoted
 * in a message: a URL may carry a user name and password.
 */
export function readStsConfig(
  block: JsonObject,
  problems: Problems,
): NonNullable<AwsIntegrationConfig['sts']> {
  checkKnownKeys(block, PATH, STS_KEYS, problems);
  const sts: NonNullable<AwsIntegrationConfig['sts']> = {};
  const endpoint = readEndpoint(block, problems);
  if (endpoint !== undefined) {
    sts.endpoint = endpoint;
  }
  const useFipsEndpoint = readFlag(block, 'useFipsEndpoint', problems);
  if (useFipsEndpoint !== undefined) {
    sts.useFipsEndpoint = useFipsEndpoint;
  }
  if (sts.endpoint && sts.useFipsEndpoint) {
    // The SDK refuses the pair at the first STS call; say so at start-up.
    problems.add(
      PATH,
      'has both endpoint and useFipsEndpoint: true, which the AWS SDK refuses to combine; to call a FIPS endpoint through a URL of your own, set endpoint to it and remove useFipsEndpoint',
    );
  }
  return sts;
}

function readEndpoint(
  block: JsonObject,
  problems: Problems,
): string | undefined {
  const path = `${PATH}.endpoint`;
  const value = readString(block, 'endpoint', PATH, problems)?.trim();
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.add(path, `is not a URL; use one ${EXAMPLES}`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(path, `must start with http:// or https://, ${EXAMPLES}`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.add(
      path,
      'must not contain a user name or password (STS calls are signed with AWS credentials); remove them from the URL',
    );
    return undefined;
  }
  return value;
}

/**
 * A boolean, or the string 'true' or 'false' (what an environment
 * variable substituted into app-config gives).
 */
function readFlag(
  block: JsonObject,
  key: string,
  problems: Problems,
): boolean | undefined {
  const value = block[key];
  if (value === undefined || value === null || typeof value === 'boolean') {
    return value ?? undefined;
  }
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  problems.add(
    `${PATH}.${key}`,
    `must be true or false, not ${
      typeof value === 'string' ? 'another string' : kindOf(value)
    }`,
  );
  return undefined;
}
