import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { isYamlError, YamlErrorLike, yamlProblem } from './yamlProblems';

/** Where a config load failed, as far as is known. */
export type LoadErrorLocation = {
  /** The file that failed: a config file, or a file it includes. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The config key whose value could not be read, e.g. `aws.mainAccount`. */
  keyPath?: string;
};

/** A load error told without any quote of the source. */
export type LoadErrorDescription = {
  message: string;
  location: LoadErrorLocation;
};

const NOT_SHOWN = 'source not shown, as it may hold a secret';

/** The loader's wrapper of an error met while transforming a config file. */
const FILE_ERROR =
  /^Failed to read config file at "(.+?)", (?:error at \.?([^,\s]*), )?([\s\S]*)$/;

/** The include transform's wrapper of a parse error of the included file. */
const INCLUDED_PARSE_ERROR =
  /^failed to parse included file (.+?), \w*Error: ([\s\S]*)$/;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** `file:line:column`, as much of it as is known. */
function where({ file, line, column }: LoadErrorLocation): string {
  return [file ?? 'a config file', line, column]
    .filter(part => part !== undefined)
    .join(':');
}

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The first parse error of a YAML text, as the loader's `yaml.parse` throws it. */
function firstYamlError(text: string): YamlErrorLike | undefined {
  const [first] = parseDocument(text).errors;
  return first && isYamlError(first) ? first : undefined;
}

/**
 * The file that failed with this error. The loader reads every file at
 * once and does not say which one failed to parse: parse each candidate
 * again and take the one that fails at the same place.
 */
function fileOf(error: YamlErrorLike, candidates: readonly string[]) {
  return candidates.find(path => {
    const text = readText(path);
    const own = text === undefined ? undefined : firstYamlError(text);
    return own?.code === error.code && own.pos[0] === error.pos[0];
  });
}

function yamlAt(error: YamlErrorLike, file: string | undefined) {
  const position = error.linePos?.[0];
  return {
    location: { file, line: position?.line, column: position?.col },
    problem: `${yamlProblem(error.code)}; ${NOT_SHOWN}`,
  };
}

/** A parse error of an included file, from the file itself where it can. */
function includedAt(path: string, parserMessage: string) {
  const text = readText(path);
  if (extname(path) === '.json') {
    // JSON.parse's message may quote the source; keep only its position.
    const offset = /at position (\d+)/.exec(parserMessage);
    const position =
      offset && text !== undefined
        ? positionOf(text, Number(offset[1]))
        : undefined;
    return {
      location: { file: path, ...position },
      problem: `not valid JSON; ${NOT_SHOWN}`,
    };
  }
  const error = text === undefined ? undefined : firstYamlError(text);
  if (error) {
    return yamlAt(error, path);
  }
  const lineColumn = /at line (\d+), column (\d+)/.exec(parserMessage);
  return {
    location: {
      file: path,
      ...(lineColumn && {
        line: Number(lineColumn[1]),
        column: Number(lineColumn[2]),
      }),
    },
    problem: `not valid YAML; ${NOT_SHOWN}`,
  };
}

function describeFileError(
  file: string,
  keyPath: string | undefined,
  rest: string,
): LoadErrorDescription {
  const at = keyPath ? `at ${keyPath}: ` : '';
  const included = INCLUDED_PARSE_ERROR.exec(rest);
  if (!included) {
    return {
      message: `${file}: ${at}${firstLine(rest)}`,
      location: { file, ...(keyPath && { keyPath }) },
    };
  }
  const path = resolve(dirname(file), included[1]);
  const { location, problem } = includedAt(path, included[2]);
  return {
    message: `${file}: ${at}the included file ${where(location)}: ${problem}`,
    location: { ...location, ...(keyPath && { keyPath }) },
  };
}

/**
 * Tells why app-config could not be loaded: the file, line, column and
 * key path where known, and the problem, built from the parsers'
 * structured errors. Never a parser's excerpt of the source, which may
 * hold a secret: of a message from elsewhere, only its first line.
 *
 * @param candidates - the config files the loader may have read, to find
 *   the one a parse error came from
 */
export function describeLoadError(
  error: unknown,
  candidates: readonly string[],
): LoadErrorDescription {
  const { message, location } = describe(error, candidates);
  // Without the parts that are not known, for a tidy JSON document.
  const known = Object.entries(location).filter(([, v]) => v !== undefined);
  return { message, location: Object.fromEntries(known) };
}

function describe(
  error: unknown,
  candidates: readonly string[],
): LoadErrorDescription {
  if (isYamlError(error)) {
    const { location, problem } = yamlAt(error, fileOf(error, candidates));
    return { message: `${where(location)}: ${problem}`, location };
  }
  const text = error instanceof Error ? error.message : String(error);
  const fileError = FILE_ERROR.exec(text);
  if (fileError) {
    const [, file, keyPath, rest] = fileError;
    return describeFileError(file, keyPath || undefined, rest);
  }
  return { message: firstLine(text), location: {} };
}
