import { inspect } from 'node:util';
import { InputError } from '@backstage/errors';
import { safeCause } from './safeCause';

/** An error as the AWS SDK throws it: the signed request hangs off `$response`. */
function sdkError() {
  class STSServiceException extends Error {}
  const error = Object.assign(new STSServiceException('not authorized'), {
    name: 'AccessDenied',
    Code: 'AccessDenied',
    Type: 'Sender',
    $fault: 'client',
    $metadata: {
      httpStatusCode: 403,
      requestId: 'c7e454fa',
      attempts: 1,
      request: {
        headers: { authorization: 'Credential=ASIA0000000000000001' },
      },
    },
    Error: { Code: 'AccessDenied', Message: 'not authorized' },
  });
  Object.defineProperty(error, '$response', {
    enumerable: false,
    value: {
      statusCode: 403,
      headers: { 'x-amz-security-token': 'session-token-0001' },
      body: {
        req: { authorization: 'Credential=ASIA0000000000000001/20261126' },
      },
    },
  });
  return { error, STSServiceException };
}

const shown = (value: unknown) =>
  `${inspect(value, { depth: 20, showHidden: true })}\n${JSON.stringify(
    value,
  )}`;

describe('safeCause', () => {
  it("keeps the class, name, message, STS's code and type, the fault and the answer's status and request ID", () => {
    const { error, STSServiceException } = sdkError();
    const safe = safeCause(error) as typeof error;
    expect(safe).toBeInstanceOf(STSServiceException);
    expect(safe).not.toBe(error);
    expect(safe).toMatchObject({
      name: 'AccessDenied',
      message: 'not authorized',
      Code: 'AccessDenied',
      Type: 'Sender',
      $fault: 'client',
    });
    expect(safe.$metadata).toEqual({
      httpStatusCode: 403,
      requestId: 'c7e454fa',
      attempts: 1,
    });
    expect(safe.stack).toBe(error.stack);
  });

  it('drops the response, and with it the signed request, even for util.inspect with showHidden', () => {
    const { error } = sdkError();
    expect(shown(error)).toContain('session-token-0001');
    const text = shown(safeCause(error));
    expect(text).not.toContain('session-token-0001');
    expect(text).not.toContain('ASIA0');
    expect(text).toContain('c7e454fa');
  });

  it('cuts access key IDs in messages and stacks to their first 4 characters', () => {
    const error = new Error(
      'The key AKIAIOSFODNN7EXAMPLE (or ASIA0000000000000001) is not valid',
    );
    const safe = safeCause(error) as Error;
    expect(safe.message).toBe('The key AKIA**** (or ASIA****) is not valid');
    expect(safe.stack).toMatch(
      /^Error: The key AKIA\*\*\*\* \(or ASIA\*\*\*\*\)/,
    );
    expect(safeCause('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA****');
  });

  it('copies the chain of causes and the errors of an AggregateError the same way', () => {
    const { error } = sdkError();
    const connection = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      port: 443,
    });
    const outer = new InputError('wrapped', error);
    (outer as any).errors = [connection];
    const safe = safeCause(outer) as any;
    expect(safe).toBeInstanceOf(InputError);
    expect(safe.cause).toMatchObject({
      name: 'AccessDenied',
      Code: 'AccessDenied',
    });
    expect(safe.errors[0]).toMatchObject({
      message: 'connect ECONNREFUSED',
      code: 'ECONNREFUSED',
      syscall: 'connect',
      port: 443,
    });
    expect(shown(safe)).not.toContain('session-token-0001');
  });

  it('stops copying a chain of causes after 5 levels, so a cycle ends', () => {
    const a = new Error('a') as any;
    a.cause = a;
    let depth = 0;
    for (let e = safeCause(a) as any; e; e = e.cause) {
      depth += 1;
    }
    expect(depth).toBe(6);
  });
});
