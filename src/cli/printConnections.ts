import type { Config, JsonObject } from '@backstage/config';
import { toConnections } from '../accounts/toConnections';
import { Problems } from '../config/Problems';
import { readAwsConnection } from '../config/readAwsConnection';
import type { CheckIo } from './checkCommand';
import { redact, secretsOf } from './redact';
import { renderYaml } from './renderYaml';
import { validateAwsBlock } from './validateAwsBlock';

function header(sources: string[], variables: string[][]): string[] {
  const width = Math.max(0, ...variables.map(([name]) => name.length));
  return [
    '# The aws connection that gives every plugin the same AWS credentials as',
    `# the aws block of ${sources.join(', ') || 'the config'}.`,
    "# It replaces the aws block's mainAccount, accounts and accountDefaults;",
    '# the aws block below keeps the settings that stay in force with it.',
    ...(variables.length > 0
      ? [
          '# Secrets are not printed: set these variables (or put the values in',
          '# their place) before the backend starts:',
          ...variables.map(
            ([name, path]) => `#   ${name.padEnd(width)}  ${path}`,
          ),
        ]
      : []),
  ];
}

/**
 * `check --print-connections`: prints the `connections:` YAML equivalent
 * of the `aws` block (see toConnections), secrets as `${VARIABLE}`s.
 * Returns the exit code: 1 when there is nothing to print, the aws block
 * is invalid, or a connection cannot hold all of it.
 */
export function printConnections(
  config: Config,
  sources: string[],
  io: CheckIo,
): number {
  const aws = config.getOptional('aws');
  const fail = (lines: string[]) => {
    io.stderr.write(
      `${redact(lines.join('\n'), secretsOf({ aws: aws ?? null }, io.env))}\n`,
    );
    return 1;
  };
  const existing = readAwsConnection(
    config.getOptional('connections'),
    new Problems(),
  );
  if (existing) {
    return fail([
      `The config already has an aws connection (${existing.path}): it holds the AWS accounts, so there is nothing to convert.`,
    ]);
  }
  if (aws === undefined) {
    return fail([
      'The config has no aws block to convert; give the app-config files with --config.',
    ]);
  }
  const validation = validateAwsBlock(aws);
  if ('problems' in validation) {
    return fail([
      `The aws block has ${validation.problems.length} problem(s); fix them first:`,
      ...validation.problems.map(p => `  - ${p}`),
    ]);
  }
  const migration = toConnections(aws as JsonObject);
  if (migration.problems.length > 0) {
    return fail([
      'An aws connection cannot hold all of the aws block:',
      ...migration.problems.map(p => `  - ${p}`),
    ]);
  }
  const yaml = renderYaml({
    connections: [migration.connection],
    ...(migration.aws && { aws: migration.aws }),
  });
  const variables = migration.secrets.map(s => [s.variable, s.path]);
  io.stdout.write(
    redact(
      `${header(sources, variables).join('\n')}\n${yaml}`,
      secretsOf({ aws }, io.env),
    ),
  );
  return 0;
}
