import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { LoopbackOrganization } from './LoopbackOrganization';
import {
  signedPost,
  USER,
  useLoopbackSts,
} from './__testUtils__/useLoopbackSts';

describe('Organizations actions', () => {
  const sts = useLoopbackSts();
  const clients: OrganizationsClient[] = [];
  let org: LoopbackOrganization;

  function client(region = 'us-east-1', credentials = USER) {
    const c = new OrganizationsClient({
      region,
      endpoint: sts.server.url,
      credentials,
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  }

  beforeEach(() => {
    org = new LoopbackOrganization()
      .addOrganizationalUnit('ou-ab12-11111111')
      .addOrganizationalUnit('ou-ab12-22222222', 'ou-ab12-11111111')
      .addAccount({ id: '333333333333', name: 'prod', tags: { env: 'prod' } })
      .addAccount({ id: '444444444444', parentId: 'ou-ab12-11111111' })
      .addAccount({ id: '555555555555', parentId: 'ou-ab12-22222222' });
    sts.server.organization = org;
  });

  afterEach(() => {
    for (const c of clients.splice(0)) {
      c.destroy();
    }
  });

  it('lists every account of 1,050 through the SDK paginator, 20 per page', async () => {
    org.addAccounts(1_047);
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: client() }, {})) {
      ids.push(...(page.Accounts ?? []).map(a => a.Id!));
    }
    expect(ids).toHaveLength(1_050);
    expect(new Set(ids).size).toBe(1_050);
    expect(sts.server.callsOf('ListAccounts')).toHaveLength(53);
  });

  it('answers accounts with their name, status and joined time', async () => {
    const { Accounts } = await client().send(
      new ListAccountsCommand({ MaxResults: 1 }),
    );
    expect(Accounts).toEqual([
      expect.objectContaining({
        Id: '333333333333',
        Name: 'prod',
        Status: 'ACTIVE',
        JoinedTimestamp: new Date(1_700_000_000_000),
      }),
    ]);
  });

  it('walks the OU tree with ListChildren and ListAccountsForParent', async () => {
    const c = client();
    const children = await c.send(
      new ListChildrenCommand({
        ParentId: 'ou-ab12-11111111',
        ChildType: 'ORGANIZATIONAL_UNIT',
      }),
    );
    expect(children.Children).toEqual([
      { Id: 'ou-ab12-22222222', Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    const accounts = await c.send(
      new ListAccountsForParentCommand({ ParentId: 'ou-ab12-22222222' }),
    );
    expect(accounts.Accounts?.map(a => a.Id)).toEqual(['555555555555']);
    await expect(
      c.send(
        new ListAccountsForParentCommand({ ParentId: 'ou-ab12-99999999' }),
      ),
    ).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  });

  it("answers an account's tags", async () => {
    const { Tags } = await client().send(
      new ListTagsForResourceCommand({ ResourceId: '333333333333' }),
    );
    expect(Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
  });

  it('refuses a page larger than 20', async () => {
    await expect(
      client().send(new ListAccountsCommand({ MaxResults: 21 })),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('answers an injected throttling fault as TooManyRequestsException, then serves again', async () => {
    sts.server.injectFault(
      { status: 400, code: 'TooManyRequestsException' },
      1,
      'ListAccounts',
    );
    const c = client();
    await expect(c.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await expect(c.send(new ListAccountsCommand({}))).resolves.toBeDefined();
  });

  it('refuses callers outside the listing accounts with AccessDeniedException', async () => {
    org.listingAccounts.add('999999999999');
    await expect(
      client().send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('checks SigV4: the organizations service, us-east-1 and a known key', async () => {
    await expect(
      client('eu-west-1').send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    await expect(
      client('us-east-1', {
        accessKeyId: 'AKIAUNKNOWN000000000',
        secretAccessKey: 'x',
      }).send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    const signedForSts = await signedPost(sts.server.url, '{}', USER, {
      service: 'sts',
      headers: { 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' },
    });
    expect(signedForSts.status).toBe(403);
    expect(JSON.parse(signedForSts.body)).toMatchObject({
      __type: 'SignatureDoesNotMatch',
    });
  });

  it('answers AWSOrganizationsNotInUseException without an organization', async () => {
    sts.server.organization = undefined;
    await expect(
      client().send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
  });
});
