import { JsonValue } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readAwsBlock } from '../readAwsIntegrationConfig';

/**
 * The problems `readAwsBlock` reports for `aws`, one string per problem
 * (`<key path>: <what to do>`), or [] when the block is valid. Fails the
 * test if anything but an `InputError` is thrown.
 */
export function problemsOf(aws: JsonValue): string[] {
  try {
    readAwsBlock(aws);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    const many = /^Invalid AWS configuration, \d+ problems:\n/.exec(message);
    if (many) {
      return message
        .slice(many[0].length)
        .split('\n')
        .map(line => line.replace(/^ {2}- /, ''));
    }
    return [message.replace(/^Invalid AWS configuration, /, '')];
  }
}

/** The message `readAwsBlock` throws for `aws`; fails the test if none. */
export function messageOf(aws: JsonValue): string {
  try {
    readAwsBlock(aws);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}
