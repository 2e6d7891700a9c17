import { ServerResponse } from 'node:http';
import { authenticate, Credentials } from './authenticate';
import { KeyStore } from './keys';
import {
  LoopbackOrganization,
  OrganizationAccount,
} from './LoopbackOrganization';
import { StsError } from './protocol';
import { ReceivedRequest } from './types';

/*
 * The AWS Organizations actions this package calls, in the JSON 1.1
 * protocol the SDK speaks to Organizations: the action in
 * `X-Amz-Target: AWSOrganizationsV20161128.<Action>`, a JSON body, and
 * JSON answers and errors (`__type`). Requests are SigV4-checked for the
 * `organizations` service in us-east-1, as AWS does in the aws partition.
 */

/** The prefix of the X-Amz-Target header of every Organizations action. */
export const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.';

/** The Organizations actions the loopback answers. */
export type OrganizationsAction =
  | 'ListAccounts'
  | 'ListAccountsForParent'
  | 'ListChildren'
  | 'ListTagsForResource';

/** The most results of one page, as AWS allows for these actions. */
export const MAX_PAGE_SIZE = 20;

export interface OrganizationsContext {
  keys: KeyStore;
  now: number;
  organization?: LoopbackOrganization;
}

/** Answers one Organizations call: its JSON result, or a thrown StsError. */
export async function answerOrganizationsAction(
  context: OrganizationsContext,
  request: ReceivedRequest,
  credentials: Credentials,
  action: string,
): Promise<unknown> {
  const key = await authenticate(request, credentials, {
    keys: context.keys,
    now: context.now,
    required: true,
    service: 'organizations',
  });
  if (credentials.auth?.region !== 'us-east-1') {
    throw new StsError(
      403,
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${credentials.auth?.region}'.`,
    );
  }
  const org = context.organization;
  if (!org) {
    throw new StsError(
      400,
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  const caller = key!.identity.account;
  if (org.listingAccounts.size > 0 && !org.listingAccounts.has(caller)) {
    throw new StsError(
      400,
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    );
  }
  const params = parseBody(request.body);
  switch (action) {
    case 'ListAccounts':
      return page(params, org.accounts(), 'Accounts', accountJson);
    case 'ListAccountsForParent':
      return page(
        params,
        org.accountsOf(parentOf(params, org)),
        'Accounts',
        accountJson,
      );
    case 'ListChildren': {
      const parentId = parentOf(params, org);
      if (params.ChildType === 'ACCOUNT') {
        return page(params, org.accountsOf(parentId), 'Children', a => ({
          Id: a.id,
          Type: 'ACCOUNT',
        }));
      }
      if (params.ChildType !== 'ORGANIZATIONAL_UNIT') {
        throw validation('ChildType', params.ChildType);
      }
      return page(params, org.unitsOf(parentId), 'Children', id => ({
        Id: id,
        Type: 'ORGANIZATIONAL_UNIT',
      }));
    }
    case 'ListTagsForResource': {
      const resourceId = String(params.ResourceId ?? '');
      if (!org.has(resourceId)) {
        throw new StsError(
          400,
          'TargetNotFoundException',
          'We can\u2019t find a resource that matches the ID you specified.',
        );
      }
      const tags = Object.entries(org.tagsOf(resourceId)).map(
        ([Key, Value]) => ({ Key, Value }),
      );
      return page(params, tags, 'Tags', t => t);
    }
    default:
      throw new StsError(
        400,
        'UnknownOperationException',
        `Unknown operation ${action}`,
      );
  }
}

function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body.toString('utf8') || '{}');
    return typeof parsed === 'object' && parsed ? parsed : {};
  } catch {
    throw new StsError(400, 'SerializationException', 'Malformed JSON body');
  }
}

function validation(name: string, value: unknown): StsError {
  return new StsError(
    400,
    'InvalidInputException',
    `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint`,
  );
}

function parentOf(
  params: Record<string, unknown>,
  org: LoopbackOrganization,
): string {
  const parentId = String(params.ParentId ?? '');
  if (!org.has(parentId) || /^\d{12}$/.test(parentId)) {
    throw new StsError(
      400,
      'ParentNotFoundException',
      'We can\u2019t find a root or OU with the ParentId that you specified.',
    );
  }
  return parentId;
}

/** One page of `items`: NextToken is the offset of the next page. */
function page<T>(
  params: Record<string, unknown>,
  items: T[],
  field: string,
  toJson: (item: T) => unknown,
): Record<string, unknown> {
  const max =
    params.MaxResults === undefined ? MAX_PAGE_SIZE : params.MaxResults;
  if (typeof max !== 'number' || max < 1 || max > MAX_PAGE_SIZE) {
    throw validation('maxResults', max);
  }
  let start = 0;
  if (params.NextToken !== undefined) {
    start = Number(
      Buffer.from(String(params.NextToken), 'base64url').toString('utf8'),
    );
    if (!Number.isInteger(start) || start < 0) {
      throw new StsError(
        400,
        'InvalidInputException',
        'The provided NextToken is invalid.',
      );
    }
  }
  const end = start + max;
  return {
    [field]: items.slice(start, end).map(toJson),
    ...(end < items.length && {
      NextToken: Buffer.from(String(end)).toString('base64url'),
    }),
  };
}

function accountJson(account: OrganizationAccount) {
  return {
    Id: account.id,
    Arn: `arn:aws:organizations::000000000000:account/o-loopback/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: account.status,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: account.joinedSeconds,
  };
}

/** Sends a JSON answer (or error), unless the connection is already gone. */
export function sendJson(
  res: ServerResponse,
  requestId: string,
  status: number,
  value: unknown,
  errorType?: string,
): void {
  if (res.destroyed || res.writableEnded) {
    return;
  }
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': body.length,
    'x-amzn-RequestId': requestId,
    ...(errorType && { 'x-amzn-ErrorType': errorType }),
  });
  res.end(body);
}

/** The JSON of an error answer. */
export function sendJsonError(
  res: ServerResponse,
  requestId: string,
  error: StsError,
): void {
  sendJson(
    res,
    requestId,
    error.status,
    { __type: error.code, Message: error.message },
    error.code,
  );
}
