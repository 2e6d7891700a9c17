import { describeLoadError } from './describeLoadError';

describe('describeLoadError', () => {
  it('keeps only the first line of a message it does not know, where an excerpt would follow', () => {
    const error = new Error(
      'Something new went wrong at line 3, column 7:\n\n    secretAccessKey: abc\n    ^',
    );

    expect(describeLoadError(error, [])).toEqual({
      message: 'Something new went wrong at line 3, column 7:',
      location: {},
    });
  });

  it('says "a config file" for a YAML error of no file it was given', () => {
    const error = Object.assign(new Error('excerpt with a secret'), {
      name: 'YAMLParseError',
      code: 'BAD_INDENT',
      pos: [10, 11],
      linePos: [{ line: 2, col: 3 }],
    });

    const { message, location } = describeLoadError(error, [
      '/nonexistent/app-config.yaml',
    ]);

    expect(message).toMatch(
      /^a config file:2:3: not valid YAML \(BAD_INDENT\)/,
    );
    expect(message).not.toContain('excerpt');
    expect(location).toEqual({ line: 2, column: 3 });
  });
});
