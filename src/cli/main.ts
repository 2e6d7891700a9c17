import { parseArgs } from 'node:util';
import { ACCOUNT_ID } from '../aws/identifiers';
import { CheckIo, checkCommand, CheckOptions } from './checkCommand';

/** The exit code of a command line that cannot be run as given. */
export const USAGE_ERROR = 2;

const DEFAULT_CONCURRENCY = 8;

export const USAGE = `Usage: backstage-aws-credentials check [options]

Checks the aws block of app-config (and the aws connection under connections)
with the rules a Backstage backend applies at start-up, and shows where each
account's credentials come from.

Options:
  --config <file>     An app-config file; repeat for several. Without it:
                      app-config.yaml and app-config.local.yaml of the
                      repository root. APP_CONFIG_* variables always apply.
  --probe             Obtain credentials for every account and ask STS
                      GetCallerIdentity whose they are.
  --account <id>      Also cover this account ID, e.g. one reached through
                      aws.accountDefaults; repeat for several.
  --plugin <id>       Check the config as this plugin sees it, with its
                      aws.plugins.<id> settings (roles, allow-lists,
                      session names).
  --concurrency <n>   Accounts probed at once (default ${DEFAULT_CONCURRENCY}).
  --wide              One table row per account, as wide as it takes,
                      instead of a block per account that fits 100 columns
                      (or the terminal, where it is wider).
  --print-connections Print the aws block as the aws connection of the
                      connections framework (connections: YAML), with
                      secrets as \${VARIABLE}s, instead of checking.
  --json              Print one JSON document on stdout instead of text.
  -h, --help          Show this help.

Exit codes: 0 all is well; 1 the config could not be loaded, has a problem
(an unset \${VAR} in the aws block too) or an account failed; 2 the command
line is wrong.
`;

class UsageError extends Error {}

const OPTIONS = {
  config: { type: 'string', multiple: true },
  probe: { type: 'boolean' },
  account: { type: 'string', multiple: true },
  plugin: { type: 'string' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
  'print-connections': { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

function isOption(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

/**
 * Parses leniently, then judges each option itself: parseArgs's own
 * errors are worded for the programmer (and take `--config --probe` for
 * a value), not for the user of this command.
 */
function parseCheckArgs(args: string[]) {
  const parsed = parseArgs({
    args,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') {
      continue;
    }
    if (!isOption(token.name)) {
      throw new UsageError(`unknown option '${token.rawName}'`);
    }
    const takesValue = OPTIONS[token.name].type === 'string';
    if (
      takesValue &&
      (token.value === undefined ||
        (!token.inlineValue && token.value.startsWith('-')))
    ) {
      throw new UsageError(`option '${token.rawName}' needs a value`);
    }
    if (!takesValue && token.value !== undefined) {
      throw new UsageError(`option '${token.rawName}' takes no value`);
    }
  }
  // Every option was checked against its type above.
  return parsed as unknown as {
    values: {
      config?: string[];
      probe?: boolean;
      account?: string[];
      plugin?: string;
      concurrency?: string;
      json?: boolean;
      wide?: boolean;
      'print-connections'?: boolean;
    };
    positionals: string[];
  };
}

function parseCheckOptions(args: string[]): CheckOptions {
  const { values, positionals } = parseCheckArgs(args);
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}'`);
  }
  const accounts = values.account ?? [];
  for (const id of accounts) {
    if (!ACCOUNT_ID.test(id)) {
      throw new UsageError(`--account ${id} is not a 12-digit AWS account ID`);
    }
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UsageError(
        `--concurrency ${values.concurrency} is not a whole number of at least 1`,
      );
    }
  }
  return {
    configPaths: values.config ?? [],
    probe: values.probe ?? false,
    accounts: [...new Set(accounts)],
    ...(values.plugin !== undefined && { pluginId: values.plugin }),
    concurrency,
    json: values.json ?? false,
    wide: values.wide ?? false,
    ...(values['print-connections'] && { printConnections: true }),
  };
}

/**
 * Runs the command line `args` (without `node` and the script) and
 * returns the exit code. Output goes to `io`, the process's own streams
 * and environment by default.
 */
export async function main(
  args: string[],
  io: CheckIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  },
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    io.stderr.write(USAGE);
    return USAGE_ERROR;
  }
  if (command === '-h' || command === '--help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'check') {
    io.stderr.write(`Unknown command '${command}'.\n\n${USAGE}`);
    return USAGE_ERROR;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  let options: CheckOptions;
  try {
    options = parseCheckOptions(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `backstage-aws-credentials check: ${error.message}\n\n${USAGE}`,
      );
      return USAGE_ERROR;
    }
    throw error;
  }
  return checkCommand(options, io);
}
