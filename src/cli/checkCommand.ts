import type { Config } from '@backstage/config';
import {
  DEFAULT_CREDENTIALS_TIMEOUT_MS,
  DefaultAwsCredentialsManager,
} from '../manager/DefaultAwsCredentialsManager';
import { keyPathsOf } from '../config/keyPaths';
import { accountRows } from './accountRows';
import { ConfigLoadError } from './ConfigLoadError';
import { loadConfig, LoadedConfig } from './loadConfig';
import { mapConcurrently } from './mapConcurrently';
import {
  listOrganization,
  organizationOk,
  organizationReport,
  probeRowOf,
} from './organizationReport';
import { probe } from './probe';
import { createProgress, ProgressStream } from './progress';
import { redactDeep, secretsOf } from './redact';
import { renderJson } from './renderJson';
import { DEFAULT_WIDTH, renderText } from './renderText';
import { CheckReport } from './types';
import { printConnections } from './printConnections';
import { unsetVariables } from './unsetVariables';
import { validateRootConfig } from './validateRootConfig';

/** The options of `check`, as parsed from the command line. */
export type CheckOptions = {
  configPaths: string[];
  probe: boolean;
  /** Account IDs to cover besides the declared ones (`--account`). */
  accounts: string[];
  /** The plugin whose view to check (`--plugin`); none by default. */
  pluginId?: string;
  concurrency: number;
  json: boolean;
  /** One table row per account, as wide as it takes (`--wide`). */
  wide: boolean;
  /** Print the aws block as an aws connection instead (`--print-connections`). */
  printConnections?: boolean;
};

/** Where `check` reads and writes; the process's own by default. */
export type CheckIo = {
  /** A terminal's `isTTY` and `columns` widen the text to fit it. */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: ProgressStream;
  env: Record<string, string | undefined>;
  /** Where default app-config files are looked for (see loadConfig). */
  rootDir?: string;
};

function emptyReport(sources: string[]): CheckReport {
  return {
    configSources: sources,
    unsetVariables: [],
    problems: [],
    warnings: [],
    accounts: [],
    timeoutMs: DEFAULT_CREDENTIALS_TIMEOUT_MS,
    probed: false,
    ok: false,
  };
}

async function buildReport(
  config: Config,
  sources: string[],
  options: CheckOptions,
  io: CheckIo,
): Promise<CheckReport> {
  // The environment the loader substituted from (see loadConfig).
  const unset = unsetVariables(sources, io.env);
  const validation = validateRootConfig(config);
  if ('problems' in validation) {
    return {
      ...emptyReport(sources),
      unsetVariables: unset,
      problems: validation.problems,
    };
  }
  const aws = validation.config;
  const timeoutMs = aws.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS;
  const rows = accountRows(aws, timeoutMs, options.accounts, options.pluginId);
  const report: CheckReport = {
    ...emptyReport(sources),
    unsetVariables: unset,
    accountsFrom: keyPathsOf(aws).origin,
    warnings: validation.warnings,
    ...rows,
    organization: organizationReport(aws),
    timeoutMs,
    probed: options.probe,
    ok: unset.length === 0,
  };
  const organization = report.organization;
  if (!options.probe && !organization) {
    return report;
  }
  const manager = DefaultAwsCredentialsManager.fromConfig(config, {
    pluginId: options.pluginId,
  });
  if (organization) {
    // Listed with or without --probe: the count is part of the description.
    await listOrganization(organization, manager, aws);
    report.ok &&= organizationOk(organization);
  }
  if (options.probe) {
    const discovered = organization?.accounts ?? [];
    const progress = createProgress(
      rows.accounts.length + discovered.length,
      io.stderr,
    );
    await mapConcurrently(rows.accounts, options.concurrency, async row => {
      row.probe = await probe(row, { manager, config: aws, timeoutMs });
      progress.tick();
    });
    // Discovered accounts after the declared ones, in the same bound.
    await mapConcurrently(discovered, options.concurrency, async account => {
      account.probe = await probe(probeRowOf(account, aws), {
        manager,
        config: aws,
        timeoutMs,
      });
      progress.tick();
    });
    progress.done();
    report.ok &&=
      rows.accounts.every(row => row.probe?.ok) && organizationOk(organization);
  }
  return report;
}

/** 100 columns, or a terminal's width where it is wider. */
function widthOf(stdout: CheckIo['stdout']): number {
  const columns = stdout.isTTY ? stdout.columns ?? 0 : 0;
  return Math.max(DEFAULT_WIDTH, columns);
}

/** Prints the report without any secret; returns the exit code. */
function write(
  report: CheckReport,
  secrets: string[],
  options: CheckOptions,
  io: CheckIo,
): number {
  const safe = redactDeep(report, secrets);
  io.stdout.write(
    options.json
      ? renderJson(safe)
      : renderText(safe, { wide: options.wide, width: widthOf(io.stdout) }),
  );
  return safe.ok ? 0 : 1;
}

/**
 * `backstage-aws-credentials check`: loads app-config as a backend would,
 * validates the `aws` block with the start-up rules, describes every
 * account and, with `probe`, obtains credentials for each and asks STS
 * whose they are. Returns the exit code: 0 when all is well, 1 otherwise.
 */
export async function checkCommand(
  options: CheckOptions,
  io: CheckIo,
): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig({
      configPaths: options.configPaths,
      env: io.env,
      rootDir: io.rootDir,
    });
  } catch (error) {
    if (!(error instanceof ConfigLoadError)) {
      throw error;
    }
    const report: CheckReport = {
      ...emptyReport([]),
      loadError: error.message,
      loadErrorLocation: error.location,
    };
    return write(report, secretsOf(undefined, io.env), options, io);
  }
  const { config, sources } = loaded;
  if (options.printConnections) {
    return printConnections(config, sources, io);
  }
  const report = await buildReport(config, sources, options, io);
  return write(
    report,
    secretsOf(
      {
        aws: config.getOptional('aws') ?? null,
        connections: config.getOptional('connections') ?? null,
      },
      io.env,
    ),
    options,
    io,
  );
}
