/** An account's status as AWS Organizations reports it. */
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

/** One member account of the loopback organization. */
export interface OrganizationAccount {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  /** The root's or an organizational unit's ID. */
  parentId: string;
  tags: Record<string, string>;
  joinedSeconds: number;
}

/** What a test gives to add an account; the rest is made up. */
export type NewAccount = Partial<OrganizationAccount> & { id: string };

/**
 * The organization that the loopback's Organizations actions answer from:
 * a root, organizational units under it, member accounts and their tags.
 * Tests change it between listings (an account added, one removed).
 */
export class LoopbackOrganization {
  readonly rootId: string;
  /**
   * The accounts whose principals may list the organization (the
   * management account and delegated administrators); any signed caller
   * when empty.
   */
  readonly listingAccounts = new Set<string>();
  readonly #accounts = new Map<string, OrganizationAccount>();
  /** Organizational units by ID, with their parent's ID. */
  readonly #units = new Map<string, { name: string; parentId: string }>();

  constructor(options: { rootId?: string } = {}) {
    this.rootId = options.rootId ?? 'r-ab12';
  }

  /** Adds an organizational unit under `parentId` (the root unless given). */
  addOrganizationalUnit(id: string, parentId?: string, name?: string): this {
    this.#units.set(id, {
      name: name ?? id,
      parentId: parentId ?? this.rootId,
    });
    return this;
  }

  /** Adds (or replaces) a member account, ACTIVE under the root unless told otherwise. */
  addAccount(account: NewAccount): this {
    this.#accounts.set(account.id, {
      name: `account-${account.id}`,
      email: `aws+${account.id}@example.com`,
      status: 'ACTIVE',
      parentId: this.rootId,
      tags: {},
      joinedSeconds: 1_700_000_000,
      ...account,
    });
    return this;
  }

  /** Adds `count` ACTIVE accounts with IDs from `firstId` up. */
  addAccounts(count: number, firstId = 100_000_000_000, parentId?: string) {
    for (let i = 0; i < count; i++) {
      this.addAccount({
        id: String(firstId + i).padStart(12, '0'),
        ...(parentId && { parentId }),
      });
    }
    return this;
  }

  /** Removes an account, as when it leaves the organization. */
  removeAccount(id: string): this {
    this.#accounts.delete(id);
    return this;
  }

  has(parentOrResourceId: string): boolean {
    return (
      parentOrResourceId === this.rootId ||
      this.#units.has(parentOrResourceId) ||
      this.#accounts.has(parentOrResourceId)
    );
  }

  /** Every account, in the order they were added. */
  accounts(): OrganizationAccount[] {
    return [...this.#accounts.values()];
  }

  /** The accounts directly under a parent. */
  accountsOf(parentId: string): OrganizationAccount[] {
    return this.accounts().filter(a => a.parentId === parentId);
  }

  /** The organizational units directly under a parent. */
  unitsOf(parentId: string): string[] {
    return [...this.#units]
      .filter(([, unit]) => unit.parentId === parentId)
      .map(([id]) => id);
  }

  tagsOf(resourceId: string): Record<string, string> {
    return this.#accounts.get(resourceId)?.tags ?? {};
  }
}
