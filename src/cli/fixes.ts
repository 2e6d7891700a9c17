// What to do about each error a probe commonly meets; the same advice as
// docs/troubleshooting.md, one line each.

const SIGNING_KEYS =
  'the keys that sign the call are wrong: fix accessKeyId/secretAccessKey (or the profile) of the account that signs it, and look for stray whitespace';
const EXPIRED =
  'the signing credentials have expired: renew them (a new session token, aws sso login) or use credentials that refresh on their own';

const FIXES: Record<string, string> = {
  AccessDenied:
    "the caller may not assume the role: allow it in the role's trust policy, give the caller sts:AssumeRole on the role ARN, and check the external ID",
  InvalidClientTokenId: SIGNING_KEYS,
  SignatureDoesNotMatch: SIGNING_KEYS,
  UnrecognizedClientException: SIGNING_KEYS,
  ExpiredToken: EXPIRED,
  ExpiredTokenException: EXPIRED,
  RequestExpired:
    "this machine's clock is off by more than 5 minutes: sync it (NTP)",
  Throttling:
    "STS throttled the calls even after the SDK's retries: probe fewer accounts at once (--concurrency)",
  RegionDisabledException:
    'STS is not activated in that region: activate it in IAM account settings, or set region of the account to an active one',
  InvalidIdentityToken:
    'the web identity token was refused: check that the token file holds a current token of the OIDC provider the role trusts',
  IDPRejectedClaim:
    "the OIDC provider's token does not satisfy the role's trust policy: check the policy's audience and subject conditions",
  TimeoutError:
    'no answer in time: check network access to the STS endpoint shown (proxy, firewall, VPC endpoint), or raise aws.credentialsTimeout',
  NotFoundError:
    'no config serves this account: add it to aws.accounts, or set aws.accountDefaults.roleName',
  NotAllowedError:
    'an allow-list leaves this account out: add it to the list the message names, if the plugin may use it',
  InputError: 'fix the config named in the message',
  CredentialsProviderError:
    'the AWS SDK found no credentials: set keys or a profile in aws.mainAccount, or provide them where the SDK looks (AWS_* variables, AWS_PROFILE, ~/.aws, a task or instance role)',
  ENOENT:
    'a file is missing: mount the web identity token, or fix webIdentityTokenFile (or the profile)',
  ECONNREFUSED:
    'nothing answers at the STS endpoint shown: check the endpoint settings (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL) and the network',
  ENOTFOUND:
    'the STS endpoint name does not resolve: check DNS, the region and the endpoint settings',
  AccessDeniedException:
    'the listing role may not list the organization: give it organizations:ListAccounts (see the IAM policy of the listing role in the docs), and set aws.organization.listAccountsRoleArn to a role of the management or a delegated administrator account',
  AWSOrganizationsNotInUseException:
    'the account that lists is not in an AWS organization: set aws.organization.listAccountsRoleArn to a role of the organization',
  AccountMismatch:
    'the credentials belong to another account than the one configured: fix the keys or profile of that entry, or its accountId',
};

/** The fix for an error code; a generic hint for codes without one. */
export function fixFor(code: string): string {
  return (
    FIXES[code] ??
    'see the message; docs/troubleshooting.md lists the usual causes'
  );
}

type ErrorLike = { name?: unknown; Code?: unknown; code?: unknown };

/**
 * The most specific code of an error: STS's error code, else a name more
 * telling than `Error`, else a system error code such as `ENOENT`, looked
 * for along the chain of causes.
 */
export function errorCodeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { name, Code, code } = current as ErrorLike;
    for (const candidate of [Code, name, code]) {
      if (typeof candidate === 'string' && candidate && candidate !== 'Error') {
        return candidate;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'Error';
}
