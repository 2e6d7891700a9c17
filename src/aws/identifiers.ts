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
 * @throws `InputError` for a malformed account ID or ARN.
 */
export function accountIdOfLookup(
  opts: AwsCredentialProviderOptions,
): string | undefined {
  if (!isAbsent(opts.accountId)) {
    if (
      typeof opts.accountId !== 'string' ||
      !ACCOUNT_ID.test(opts.accountId)
    ) {
      throw new InputError(
        `Invalid AWS account ID '${opts.accountId}'; an account ID is 12 digits`,
      );
    }
    return opts.accountId;
  }
  return isAbsent(opts.arn) ? undefined : accountIdOfArn(opts.arn!);
}

/** An empty string is what an absent entity annotation often becomes. */
function isAbsent(value: string | undefined): boolean {
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
  if (typeof arn !== 'string' || !isArn(arn)) {
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
