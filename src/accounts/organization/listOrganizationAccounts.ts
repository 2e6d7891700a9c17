import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ForwardedError } from '@backstage/errors';
import { sdk } from '../../aws/sdk';
import { USER_AGENT } from '../../providers/sts';
import type { AwsIntegrationOrganizationConfig } from '../../types';
import type { DiscoveredAccount } from './types';

/** How many times one call is tried when Organizations throttles it. */
const MAX_ATTEMPTS = 8;
/** The first wait after a throttled call; it doubles up to {@link MAX_BACKOFF_MS}. */
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** Tag lookups in flight at once: Organizations allows few requests per second. */
const TAG_CONCURRENCY = 4;

/** Where Organizations is signed in each partition: its one global region. */
const ORGANIZATIONS_REGIONS: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** One listing of the organization, and what it cost. */
export type OrganizationListing = {
  accounts: DiscoveredAccount[];
  /** Organizations calls made, retries included. */
  calls: number;
  /** Calls answered with throttling, each followed by a wait. */
  throttled: number;
};

export type ListOptions = {
  config: AwsIntegrationOrganizationConfig;
  credentials: AwsCredentialIdentityProvider;
  /** How long one call may take. */
  timeoutMs: number;
  /** Waits between throttled attempts; injectable so tests need no real time. */
  sleep?: (ms: number) => Promise<void>;
  abortSignal?: AbortSignal;
  /** Told of each call as it is sent, so a wait can name the one pending. */
  onCall?: (action: string) => void;
};

type Page = { NextToken?: string };

/** Sends the calls of one listing through one client, with the backoff. */
class Caller {
  calls = 0;
  throttled = 0;
  readonly #client: OrganizationsClient;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #abortSignal?: AbortSignal;
  readonly #onCall?: (action: string) => void;
  readonly #timeoutMs: number;

  constructor(options: ListOptions) {
    const { config, timeoutMs } = options;
    this.#timeoutMs = timeoutMs;
    this.#onCall = options.onCall;
    const { OrganizationsClient } = sdk.clientOrganizations();
    const { NodeHttpHandler } = sdk.nodeHttpHandler();
    this.#client = new OrganizationsClient({
      region: ORGANIZATIONS_REGIONS[config.partition ?? 'aws'] ?? 'us-east-1',
      credentials: options.credentials,
      customUserAgent: USER_AGENT,
      // Retries are ours: the backoff below, and the refresh schedule.
      maxAttempts: 1,
      ...(config.endpoint && { endpoint: config.endpoint }),
      requestHandler: new NodeHttpHandler({
        requestTimeout: timeoutMs,
        connectionTimeout: timeoutMs,
        throwOnRequestTimeout: true,
      }),
    });
    this.#sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.#abortSignal = options.abortSignal;
  }

  /** Every page of one call, from the first. */
  async pages<T extends Page>(
    action: string,
    send: (client: OrganizationsClient, nextToken?: string) => Promise<T>,
  ): Promise<T[]> {
    const pages: T[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.#send(action, c => send(c, token));
      pages.push(page);
      nextToken = page.NextToken;
    } while (nextToken);
    return pages;
  }

  async #send<T>(
    action: string,
    send: (client: OrganizationsClient) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.#abortSignal?.throwIfAborted();
      this.calls += 1;
      this.#onCall?.(action);
      try {
        return await send(this.#client);
      } catch (error) {
        if (isTimeout(error)) {
          throw notAnswered(action, this.#timeoutMs, error);
        }
        if (!isThrottling(error) || attempt >= MAX_ATTEMPTS) {
          throw new ForwardedError(`organizations:${action} failed`, error);
        }
        this.throttled += 1;
        await this.#sleep(
          Math.min(BASE_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS),
        );
      }
    }
  }

  destroy() {
    this.#client.destroy();
  }
}

/**
 * Lists the ACTIVE accounts of the organization, all pages: ListAccounts,
 * or the OU tree under `organizationalUnitIds` (ListChildren and
 * ListAccountsForParent), then ListTagsForResource per account only when
 * `accountTags` filters them. A throttled call is retried with exponential
 * backoff; any other failure ends the listing, naming the call.
 */
export async function listOrganizationAccounts(
  options: ListOptions,
): Promise<OrganizationListing> {
  const { config } = options;
  const caller = new Caller(options);
  try {
    let accounts = config.organizationalUnitIds
      ? await listUnits(caller, config.organizationalUnitIds)
      : await listAll(caller);
    if (config.accountTags) {
      accounts = await withTags(caller, accounts, config.accountTags);
    }
    return { accounts, calls: caller.calls, throttled: caller.throttled };
  } finally {
    caller.destroy();
  }
}

/**
 * The error of a call that got no answer in time, worded alike whether
 * the call's own timeout or a lookup's wait for it ran out first.
 */
export function notAnswered(
  action: string,
  timeoutMs: number,
  cause?: unknown,
): Error {
  const message = `organizations:${action} did not answer within ${timeoutMs} ms (aws.credentialsTimeout)`;
  return cause === undefined
    ? new Error(message)
    : new ForwardedError(message, cause);
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  return e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT';
}

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } };
  return (
    e?.name === 'TooManyRequestsException' ||
    e?.name === 'ThrottlingException' ||
    e?.$retryable?.throttling === true
  );
}

type SdkAccount = {
  Id?: string;
  Name?: string;
  Status?: string;
  State?: string;
};

/** ACTIVE accounts only: suspended or closing ones cannot be signed into. */
function activeAccounts(
  accounts: SdkAccount[] | undefined,
  organizationalUnitId?: string,
): DiscoveredAccount[] {
  return (accounts ?? [])
    .filter(a => a.Id && (a.State ?? a.Status) === 'ACTIVE')
    .map(a => ({
      accountId: a.Id!,
      ...(a.Name && { name: a.Name }),
      ...(organizationalUnitId && { organizationalUnitId }),
    }));
}

async function listAll(caller: Caller): Promise<DiscoveredAccount[]> {
  const { ListAccountsCommand } = sdk.clientOrganizations();
  const pages = await caller.pages('ListAccounts', (client, NextToken) =>
    client.send(new ListAccountsCommand({ NextToken })),
  );
  return pages.flatMap(page => activeAccounts(page.Accounts));
}

/** The accounts under each OU, recursively; each account once. */
async function listUnits(
  caller: Caller,
  unitIds: string[],
): Promise<DiscoveredAccount[]> {
  const { ListAccountsForParentCommand, ListChildrenCommand } =
    sdk.clientOrganizations();
  const found = new Map<string, DiscoveredAccount>();
  const queue = [...unitIds];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const ParentId = queue.shift()!;
    const accountPages = await caller.pages(
      'ListAccountsForParent',
      (client, NextToken) =>
        client.send(new ListAccountsForParentCommand({ ParentId, NextToken })),
    );
    for (const page of accountPages) {
      for (const account of activeAccounts(page.Accounts, ParentId)) {
        found.set(account.accountId, account);
      }
    }
    const childPages = await caller.pages('ListChildren', (client, NextToken) =>
      client.send(
        new ListChildrenCommand({
          ParentId,
          ChildType: 'ORGANIZATIONAL_UNIT',
          NextToken,
        }),
      ),
    );
    for (const child of childPages.flatMap(p => p.Children ?? [])) {
      if (child.Id && !seen.has(child.Id)) {
        seen.add(child.Id);
        queue.push(child.Id);
      }
    }
  }
  return [...found.values()];
}

/** The accounts that carry every wanted tag, each with its tags. */
async function withTags(
  caller: Caller,
  accounts: DiscoveredAccount[],
  wanted: Record<string, string>,
): Promise<DiscoveredAccount[]> {
  const { ListTagsForResourceCommand } = sdk.clientOrganizations();
  const tagged: Array<DiscoveredAccount | undefined> = new Array(
    accounts.length,
  );
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const index = next++;
      const account = accounts[index];
      const pages = await caller.pages(
        'ListTagsForResource',
        (client, NextToken) =>
          client.send(
            new ListTagsForResourceCommand({
              ResourceId: account.accountId,
              NextToken,
            }),
          ),
      );
      const tags: Record<string, string> = {};
      for (const tag of pages.flatMap(p => p.Tags ?? [])) {
        if (tag.Key) {
          tags[tag.Key] = tag.Value ?? '';
        }
      }
      if (Object.entries(wanted).every(([k, v]) => tags[k] === v)) {
        tagged[index] = { ...account, tags };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(TAG_CONCURRENCY, accounts.length) }, worker),
  );
  return tagged.filter((a): a is DiscoveredAccount => a !== undefined);
}
