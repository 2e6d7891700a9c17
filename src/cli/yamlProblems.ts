/**
 * What each error code of the `yaml` parser (the one
 * `@backstage/config-loader` uses) means, in our own words. The parser's
 * own message quotes the source, a secret perhaps, and a few of its
 * first lines do too (an invalid escape sequence, an unresolved scalar),
 * so the message is built from the code alone.
 */
const PROBLEMS: Record<string, string> = {
  ALIAS_PROPS: 'an alias (*name) may not have an anchor or a tag',
  BAD_ALIAS: 'an alias (*name) is malformed or names no anchor before it',
  BAD_DIRECTIVE: 'a % directive is malformed',
  BAD_DQ_ESCAPE: 'a double-quoted value has an invalid \\ escape sequence',
  BAD_INDENT:
    'the indentation is wrong: the keys of one mapping, and the items of one list, start at the same column',
  BAD_PROP_ORDER: 'an anchor (&name) or a tag (!name) is out of place',
  BAD_SCALAR_START:
    'a value starts with a character that needs quotes (such as @, ` or %)',
  BLOCK_AS_IMPLICIT_KEY:
    'a more indented key follows a value on the same level: start a nested mapping on a line of its own, or fix the indentation',
  BLOCK_IN_FLOW: 'a block value is inside [ ] or { }',
  DUPLICATE_KEY: 'a key appears twice in one mapping',
  IMPOSSIBLE: 'the YAML parser met an internal error',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MISSING_CHAR:
    'a character is missing: a closing quote or bracket, a comma, or a space after a colon',
  MULTILINE_IMPLICIT_KEY:
    'a key spans several lines: check the indentation and the colons',
  MULTIPLE_ANCHORS: 'a value has more than one anchor (&name)',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (---)',
  MULTIPLE_TAGS: 'a value has more than one tag (!name)',
  NON_STRING_KEY: 'a key is not a string',
  RESOURCE_EXHAUSTION: 'the aliases expand to too large a document',
  TAB_AS_INDENT: 'a tab indents a line: indent with spaces',
  TAG_RESOLVE_FAILED: 'a tag (!name) is unknown',
  UNEXPECTED_TOKEN:
    'something is out of place: check the quotes, the brackets and the indentation',
  BAD_COLLECTION_TYPE: 'a tag (!name) does not fit the kind of collection',
};

/** The part of a `yaml` parse error that is safe to show. */
export type YamlErrorLike = {
  name: 'YAMLParseError';
  code: string;
  pos: [number, number];
  linePos?: Array<{ line: number; col: number }>;
};

/**
 * Whether an error is the `yaml` parser's. Checked by shape, not with
 * `instanceof`: the config loader may load its own copy of `yaml`.
 */
export function isYamlError(error: unknown): error is YamlErrorLike {
  const e = error as Partial<YamlErrorLike> | undefined;
  return (
    e?.name === 'YAMLParseError' &&
    typeof e.code === 'string' &&
    Array.isArray(e.pos)
  );
}

/** `not valid YAML (BAD_INDENT): the indentation is wrong: ...` */
export function yamlProblem(code: string): string {
  const problem = Object.prototype.hasOwnProperty.call(PROBLEMS, code)
    ? `: ${PROBLEMS[code]}`
    : '';
  return `not valid YAML (${code})${problem}`;
}
