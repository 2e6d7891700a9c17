import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Variables through which the SDK's default chain finds credentials. */
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];
const CONTAINER_PREFIX = 'AWS_CONTAINER_CREDENTIALS_';

/** Where to look: the process's environment and home folder unless given. */
export type CredentialSearch = {
  env?: Record<string, string | undefined>;
  home?: string;
};

/** What {@link findAwsCredentials} found, and which files it read. */
export type CredentialSearchResult = {
  /** Where credentials are, in words for the start-up log; undefined if nowhere. */
  found?: string;
  /** The shared credentials and config files looked at. */
  files: string[];
};

/**
 * Where the AWS SDK's default chain would find credentials on this
 * machine: credential variables (keys, `AWS_PROFILE`, web identity,
 * container credentials), or a profile in the shared credentials or
 * config file (`AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`, else
 * `~/.aws/`). Instance metadata is not asked: that would need a network
 * call, and a dev machine has none.
 */
export function findAwsCredentials(
  search: CredentialSearch = {},
): CredentialSearchResult {
  const env = search.env ?? process.env;
  const home = search.home ?? homedir();
  const files = [
    {
      path:
        env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
      // Every section of the credentials file is a profile.
      profile: /^\s*\[\s*([^\]\s]+)\s*\]/m,
    },
    {
      path: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
      // In the config file, [sso-session x] and [services x] are not profiles.
      profile: /^\s*\[\s*(default|profile\s+[^\]\s]+)\s*\]/m,
    },
  ];
  const paths = files.map(file => file.path);
  const variable = Object.keys(env).find(
    name =>
      env[name]?.trim() &&
      (CREDENTIAL_VARIABLES.includes(name) ||
        name.startsWith(CONTAINER_PREFIX)),
  );
  if (variable) {
    return { found: `${variable} is set`, files: paths };
  }
  for (const file of files) {
    const match = file.profile.exec(readIfExists(file.path));
    if (match) {
      const name = match[1].replace(/^profile\s+/, '');
      return { found: `profile '${name}' in ${file.path}`, files: paths };
    }
  }
  return { files: paths };
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // missing or unreadable: the SDK finds nothing there either
  }
}
