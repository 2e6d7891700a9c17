import type { AuditorService } from '@backstage/backend-plugin-api';
import { notInOrganization } from '../accounts/organization/notInOrganization';
import { keyPathsOf } from '../config/keyPaths';
import { ResolvedSource } from '../providers/resolveSource';
import { CredentialsRoot } from './CredentialsRoot';
import { notAllowed, notConfigured } from './lookupErrors';

/** What the lookup rules say of an account under the config in force. */
export type Rule =
  /** Its own entry, or (held) the account defaults. */
  | { kind: 'source'; source: ResolvedSource; held: boolean }
  /** The main account's own ID. */
  | { kind: 'main' }
  | { kind: 'refused'; list: string }
  /**
   * Served as the main account if it is the main account's ID, which STS
   * has to tell; else by `otherwise` (an organization member), if any.
   */
  | { kind: 'ask'; otherwise?: Served }
  /** Known once the organization's first listing is in. */
  | { kind: 'wait' }
  | { kind: 'none' };

/** A rule that serves the account. */
export type Served = Extract<Rule, { kind: 'source' | 'main' }>;

/** The rule of the main account, and of an account with its ID. */
export const MAIN: Served = { kind: 'main' };
const ASK: Rule = { kind: 'ask' };
const NONE: Rule = { kind: 'none' };
const WAIT: Rule = { kind: 'wait' };

/**
 * The lookup rules for one plugin's accounts, under the config in force:
 * refused if an allow-list leaves the account out, else its own entry,
 * else (with `aws.organization`) the organization's role for a member
 * that is not the main account, else the account defaults' source, else
 * the main account's if it is the main account's ID, else not found. Both a fresh lookup and every call of a
 * provider handed out use them; they keep nothing.
 */
export class LookupRules {
  readonly #root: CredentialsRoot;
  readonly #pluginId: string | undefined;
  readonly #auditor?: AuditorService;

  constructor(
    root: CredentialsRoot,
    pluginId: string | undefined,
    auditor: AuditorService | undefined,
  ) {
    this.#root = root;
    this.#pluginId = pluginId;
    this.#auditor = auditor;
  }

  /** The rules as far as they can be told at once, with no STS call. */
  ruleFor(accountId: string): Rule {
    const root = this.#root;
    const accounts = root.accounts.forPlugin(this.#pluginId);
    const list = accounts.refusingList(
      accountId,
      // Only the configured ID: the answer must not depend on whether an
      // earlier lookup happened to learn the main account's ID from STS.
      root.accounts.config.mainAccount.accountId,
    );
    if (list) {
      return { kind: 'refused', list };
    }
    if (accounts.declares(accountId)) {
      return {
        kind: 'source',
        source: accounts.sourceOf(accountId)!,
        held: false,
      };
    }
    const mainId = root.knownMainAccountId();
    const organization = root.organization;
    if (organization) {
      const snapshot = organization.snapshot;
      if (!snapshot) {
        return WAIT;
      }
      if (snapshot.accounts.has(accountId)) {
        // The main account, a member too, keeps its own credentials.
        const member: Served = {
          kind: 'source',
          source: accounts.organizationSourceOf(accountId, organization.config),
          held: false, // as many as the organization has, not as callers name
        };
        if (mainId === undefined) {
          return { kind: 'ask', otherwise: member };
        }
        return accountId === mainId ? MAIN : member;
      }
    }
    // Reached through the account defaults: held, so bounded in number.
    const source = accounts.sourceOf(accountId);
    if (source) {
      return { kind: 'source', source, held: true };
    }
    if (mainId === undefined) {
      return ASK;
    }
    return accountId === mainId ? MAIN : NONE;
  }

  /**
   * The rules to the end: a refusal is audited, and STS is asked for the
   * main account's ID if need be.
   *
   * @throws `NotAllowedError`, or `NotFoundError` for an account no config serves.
   */
  async servedBy(accountId: string): Promise<Served> {
    let rule = this.ruleFor(accountId);
    if (rule.kind === 'wait') {
      // Waits up to the credentials timeout; a failed listing names its cause.
      await this.#root.organization!.current();
      rule = this.ruleFor(accountId);
    }
    switch (rule.kind) {
      case 'source':
      case 'main':
        return rule;
      case 'refused':
        throw await this.#refuse(accountId, rule.list);
      case 'ask':
        if (accountId === (await this.#root.mainAccountId())) {
          return MAIN;
        }
        if (rule.otherwise) {
          return rule.otherwise;
        }
        throw this.#notFound(accountId);
      default:
        throw this.#notFound(accountId);
    }
  }

  /** The error for an account no config serves. */
  #notFound(accountId: string): Error {
    const organization = this.#root.organization;
    return organization
      ? notInOrganization(accountId, organization)
      : notConfigured(accountId, keyPathsOf(this.#root.accounts.config));
  }

  /** The error for an account an allow-list leaves out, audited. */
  async #refuse(accountId: string, list: string): Promise<Error> {
    const error = notAllowed(accountId, list, this.#pluginId);
    try {
      const event = await this.#auditor?.createEvent({
        eventId: 'account-not-allowed',
        severityLevel: 'medium',
        meta: { accountId, allowList: list },
      });
      await event?.fail({ error });
    } catch {
      // An auditor that fails does not change the answer.
    }
    return error;
  }
}
