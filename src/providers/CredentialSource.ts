import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { StsSettings } from './sts';

/**
 * Where credentials come from; also the `source` attribute of the fetch
 * metrics.
 */
export type SourceKind =
  | 'static'
  | 'profile'
  | 'default_chain'
  | 'assume_role'
  | 'web_identity';

/**
 * Where one account's credentials come from, without any secret: the one
 * description that logs, errors, the dev demo and the `check` command use.
 */
export type CredentialSourceDescription = {
  kind: SourceKind;
  /** "the main account" or "account 111111111111" */
  subject: string;
  accountId?: string;
  /** The config block it was read from, e.g. `aws.accounts[2]`. */
  configPath: string;
  profile?: string;
  roleArn?: string;
  stsRegion?: string;
  /**
   * For a role assumed with keys: whose keys sign the AssumeRole call (of
   * the first hop, for a role chain).
   */
  signedWith?: 'own keys' | 'main account';
  /** The roles assumed before `roleArn`, in order (`assumeRoleChain`). */
  roleChain?: string[];
  /** The source identity sent on every hop. */
  sourceIdentity?: string;
  /** The managed session policies of the session (last hop). */
  sessionPolicyArns?: string[];
  /** The length of the inline session policy (last hop), never its text. */
  sessionPolicyLength?: number;
  webIdentityTokenFile?: string;
  roleSessionName?: string;
  /** Session tags (AssumeRole only); tag values are not secret. */
  sessionTags?: Record<string, string>;
  durationSeconds?: number;
  /** `aws.sts`, for a source that may call STS, when it is set. */
  sts?: StsSettings;
};

/** The `subject` of the main account's description. */
export const MAIN_SUBJECT = 'the main account';

/**
 * The settings of a role session beyond the role itself. Sessions with
 * the same settings share cached credentials, across plugins too.
 */
export type RoleSession = {
  /** 2-64 characters of `[\w+=,.@-]`, `{pluginId}` already substituted. */
  roleSessionName: string;
  /** Session tags (AssumeRole only). */
  tags?: Record<string, string>;
  /** The session's duration; STS's default unless set. */
  durationSeconds?: number;
  /** Sends `tags` as transitive (`TransitiveTagKeys`): a chain's first hop. */
  transitiveTags?: boolean;
  /** `SourceIdentity`, `{pluginId}` already substituted. */
  sourceIdentity?: string;
  /** `Policy`: an inline session policy, compact JSON. */
  policy?: string;
  /** `PolicyArns`: managed session policies. */
  policyArns?: string[];
};

/** What one fetch is asked to do. */
export type FetchOptions = {
  /** Aborted when the fetch's time is up: no request may go on after. */
  abortSignal: AbortSignal;
};

/** Obtains credentials from their source, every call afresh. */
export type Fetch = (options: FetchOptions) => Promise<AwsCredentialIdentity>;

/** What every source of one manager shares. */
export type SourceContext = {
  /** How long one fetch may take, all STS retries included. */
  timeoutMs: number;
  logger?: LoggerService;
};

const KIND_WORDS: Record<SourceKind, string> = {
  static: 'static keys',
  profile: 'profile',
  default_chain: 'default chain',
  assume_role: 'role',
  web_identity: 'web identity',
};

/** A short name of the kind, e.g. "static keys", for log fields and tables. */
export function kindWords(kind: SourceKind): string {
  return KIND_WORDS[kind];
}

/**
 * "by assuming role arn:… with the main account's credentials through STS
 * in us-east-1 at https://…": how the credentials are obtained, for errors
 * and logs. `endpoint` is asked only here, as working it out loads SDK code.
 */
export function describeHow(
  d: CredentialSourceDescription,
  endpoint?: (region: string, sts?: StsSettings) => string,
): string {
  const via = d.stsRegion
    ? ` through STS in ${d.stsRegion}${
        endpoint ? ` at ${endpoint(d.stsRegion, d.sts)}` : ''
      }`
    : '';
  switch (d.kind) {
    case 'static':
      return 'from static keys';
    case 'profile':
      return `from profile '${d.profile}' of the shared AWS config files`;
    case 'default_chain':
      return "from the AWS SDK's default credential chain";
    case 'web_identity':
      return `by assuming role ${d.roleArn} with the web identity token in ${d.webIdentityTokenFile}${via}`;
    default:
      return `by assuming role ${d.roleArn}${
        d.roleChain
          ? ` through the role chain ${[...d.roleChain, d.roleArn].join(
              ' → ',
            )}, starting`
          : ''
      } with ${
        d.signedWith === 'own keys'
          ? "the account's own keys"
          : "the main account's credentials"
      }${via}`;
  }
}
