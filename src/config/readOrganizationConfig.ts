import {
  ConfigReader,
  JsonObject,
  JsonValue,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { AwsIntegrationOrganizationConfig } from '../types';
import { checkKnownKeys, isObject, kindOf, readString } from './jsonValues';
import { Problems } from './Problems';
import { checkFormats } from './rules';
import {
  checkSessionShaping,
  readSessionShaping,
  SHAPING_KEYS,
} from './readSessionShaping';

const PATH = 'aws.organization';
const ORGANIZATION_KEYS = [
  'roleName',
  'externalId',
  'partition',
  'region',
  'listAccountsRoleArn',
  'organizationalUnitIds',
  'accountTags',
  'refresh',
  'endpoint',
  ...SHAPING_KEYS,
];

/** The default of `aws.organization.refresh`: 60 minutes. */
export const DEFAULT_ORGANIZATION_REFRESH_MS = 60 * 60 * 1000;

/** The longest delay a Node.js timer accepts, 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/** An organizational unit ID: `ou-` then the root's and the unit's own parts. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** An IAM role ARN, with or without a path. */
const ROLE_ARN =
  /^arn:[\w-]+:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * Reads `aws.organization`: the role of the discovered accounts and how
 * they are listed. Nothing here is quoted back except names and IDs; the
 * external ID and the endpoint (which may carry a password) never are.
 */
export function readOrganizationConfig(
  block: JsonObject,
  problems: Problems,
): AwsIntegrationOrganizationConfig | undefined {
  checkKnownKeys(block, PATH, ORGANIZATION_KEYS, problems);
  const text: Record<string, string> = {};
  for (const key of [
    'roleName',
    'externalId',
    'partition',
    'region',
    'listAccountsRoleArn',
    'endpoint',
  ]) {
    const value = readString(block, key, PATH, problems);
    if (value !== undefined) {
      text[key] = value.trim();
    }
  }
  checkFormats(text, PATH, problems);
  if (block.roleName === undefined || block.roleName === null) {
    problems.add(
      `${PATH}.roleName`,
      'is missing; name the IAM role to assume in each account of the organization, e.g. BackstageReader',
    );
  }
  const { listAccountsRoleArn, endpoint } = text;
  if (
    listAccountsRoleArn !== undefined &&
    !ROLE_ARN.test(listAccountsRoleArn)
  ) {
    problems.add(
      `${PATH}.listAccountsRoleArn`,
      `'${listAccountsRoleArn}' is not an IAM role ARN; use one such as arn:aws:iam::111111111111:role/BackstageOrgReader`,
    );
  }
  if (endpoint !== undefined) {
    checkEndpoint(endpoint, problems);
  }
  const organizationalUnitIds = readUnitIds(block, problems);
  const accountTags = readAccountTags(block, problems);
  const refreshMs = readRefresh(block.refresh, problems);

  const shaping = readSessionShaping(block, ORGANIZATION_KEYS, PATH, problems);
  checkSessionShaping({ roleName: text.roleName, ...shaping }, PATH, problems);

  if (!text.roleName) {
    return undefined;
  }
  return {
    ...(text as { roleName: string }),
    ...shaping,
    ...(organizationalUnitIds && { organizationalUnitIds }),
    ...(accountTags && { accountTags }),
    refreshMs: refreshMs ?? DEFAULT_ORGANIZATION_REFRESH_MS,
  };
}

function checkEndpoint(endpoint: string, problems: Problems) {
  const path = `${PATH}.endpoint`;
  const examples =
    'such as https://organizations.us-east-1.amazonaws.com or http://localhost:4566';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    problems.add(path, `is not a URL; use one ${examples}`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(path, `must start with http:// or https://, ${examples}`);
  } else if (url.username || url.password) {
    problems.add(
      path,
      'must not contain a user name or password (Organizations calls are signed with AWS credentials); remove them from the URL',
    );
  }
}

function readUnitIds(
  block: JsonObject,
  problems: Problems,
): string[] | undefined {
  const path = `${PATH}.organizationalUnitIds`;
  const value = block.organizationalUnitIds;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.add(
      path,
      `must be a list of organizational unit IDs, not ${kindOf(value)}`,
    );
    return undefined;
  }
  if (value.length === 0) {
    problems.add(
      path,
      'is empty, which would discover no account; list OU IDs such as ou-ab12-3456abcd, or remove the key to discover the whole organization',
    );
    return undefined;
  }
  const ids: string[] = [];
  value.forEach((id, i) => {
    if (typeof id !== 'string' || !OU_ID.test(id.trim())) {
      problems.add(
        `${path}[${i}]`,
        `must be an organizational unit ID such as ou-ab12-3456abcd${
          typeof id === 'string' ? '' : `, not ${kindOf(id)}`
        }`,
      );
    } else if (!ids.includes(id.trim())) {
      ids.push(id.trim());
    }
  });
  return ids;
}

function readAccountTags(
  block: JsonObject,
  problems: Problems,
): Record<string, string> | undefined {
  const path = `${PATH}.accountTags`;
  const value = block.accountTags;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(
      path,
      `must be an object of tag keys and values, not ${kindOf(value)}`,
    );
    return undefined;
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value)) {
    if (typeof tagValue !== 'string') {
      problems.add(
        `${path}.${key}`,
        `must be a string, not ${kindOf(
          tagValue,
        )}; put the value in quotes in YAML`,
      );
    } else {
      tags[key] = tagValue;
    }
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function readRefresh(
  value: JsonValue | undefined,
  problems: Problems,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const path = `${PATH}.refresh`;
  try {
    const ms = durationToMilliseconds(
      readDurationFromConfig(new ConfigReader({ value }), { key: 'value' }),
    );
    if (ms > MAX_TIMER_MS) {
      problems.add(
        path,
        'must be at most 24 days, the longest a timer can wait; the default is { minutes: 60 }',
      );
    } else if (ms > 0) {
      return ms;
    } else {
      problems.add(path, 'must be longer than zero, e.g. { minutes: 60 }');
    }
  } catch {
    problems.add(
      path,
      "is not a duration; use a string such as '60m' or an object such as { minutes: 60 }",
    );
  }
  return undefined;
}
