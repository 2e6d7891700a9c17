import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser';
import { InputError } from '@backstage/errors';
import type { AwsCredentialProviderOptions } from '../types';

/** An AWS account ID: 12 digits, leading zeros included. */
export const ACCOUNT_ID = /^\d{12}$/;
/** What IAM accepts as a role name. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Region names such as us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1. */
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** `arn:{partition}:iam::{accountId}:role/{roleName}` */
export function roleArnOf(
  accountId: string,
  roleName: string,
  partition: string = 'aws',
): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * The account a lookup names: its `accountId`, else the account of its
 * `arn`, else none (the main account). An empty `accountId` counts as
 * absent, as in the original package, since that is what a missing entity
 * annotation often becomes.
 *
 * `accountOfArn` reads an ARN's account ({@link accountIdOfArn} unless
 * the caller remembers ARNs).
 *
 * @throws `InputError` for a malformed account ID or ARN.
 */
export function accountIdOfLookup(
  opts: AwsCredentialProviderOptions,
  accountOfArn: (arn: string) => string | undefined = accountIdOfArn,
): string | undefined {
  if (!isAbsent(opts.accountId)) {
    if (typeof opts.accountId !== 'string') {
      // A number from YAML or JSON: the usual way, and it drops leading zeros.
      const number = typeof opts.accountId === 'number';
      throw notAString(
        'AWS account ID',
        'an account ID',
        opts.accountId,
        number
          ? "put it in quotes in YAML or JSON (accountId: '012345678901'), else a leading zero is lost"
          : "pass the 12-digit ID as a string (accountId: '012345678901')",
      );
    }
    if (!ACCOUNT_ID.test(opts.accountId)) {
      throw new InputError(
        `Invalid AWS account ID '${opts.accountId}'; an account ID is 12 digits`,
      );
    }
    return opts.accountId;
  }
  return isAbsent(opts.arn) ? undefined : accountOfArn(opts.arn!);
}

/**
 * Whether a lookup leaves a value out: undefined, or an empty string
 * (what an absent entity annotation often becomes). Anything else is
 * given, and must be a well-formed string.
 */
export function isAbsent(value: string | undefined): boolean {
  return value === undefined || value === '';
}

/**
 * Whether a lookup names no account, so that the main account serves it:
 * exactly when {@link accountIdOfLookup} answers undefined without
 * looking at an ARN.
 */
export function namesNoAccount(
  opts: AwsCredentialProviderOptions | undefined,
): boolean {
  return !opts || (isAbsent(opts.accountId) && isAbsent(opts.arn));
}

/**
 * The account ID inside an ARN, or undefined for an ARN without one (an
 * S3 bucket's, for instance).
 *
 * @throws `InputError` for a malformed ARN.
 */
export function accountIdOfArn(arn: string): string | undefined {
  if (typeof arn !== 'string') {
    throw notAString(
      'ARN',
      'an ARN',
      arn,
      "pass it as a string (arn: 'arn:aws:sqs:us-east-1:012345678901:my-queue')",
    );
  }
  if (!isArn(arn)) {
    throw new InputError(
      `Invalid ARN '${arn}'; an ARN has the form arn:partition:service:region:account-id:resource`,
    );
  }
  const accountId = parseArn(arn).accountId || undefined;
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    throw new InputError(
      `Invalid ARN '${arn}'; its account ID '${accountId}' is not 12 digits`,
    );
  }
  return accountId;
}

/**
 * The InputError of a lookup value that is not a string. Only a number or
 * a boolean is shown: an object could be anything the caller holds.
 */
function notAString(
  what: string,
  aWhat: string,
  value: unknown,
  fix: string,
): InputError {
  const shown =
    typeof value === 'number' || typeof value === 'boolean' ? ` ${value}` : '';
  let kind: string;
  if (value === null) {
    kind = 'null';
  } else if (Array.isArray(value)) {
    kind = 'a list';
  } else {
    kind = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  }
  return new InputError(
    `Invalid ${what}${shown}: ${aWhat} must be a string, not ${kind}; ${fix}`,
  );
}
