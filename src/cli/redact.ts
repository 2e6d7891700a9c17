import type { JsonValue } from '@backstage/config';

/**
 * Config keys whose values are secret: those config.d.ts marks
 * `@visibility secret` (a test holds the two lists together), and
 * `sessionToken`, which a key pair of temporary credentials comes with.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'externalId',
]);

/** Environment variables whose values are secret. */
const SECRET_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/**
 * Shorter values are not searched for: they would match ordinary text,
 * and no real key, secret or external ID (2 to 1224 characters, but
 * chosen to be unguessable) is that short.
 */
const MIN_LENGTH = 4;

/**
 * The secret values of config blocks (the `aws` block, valid or not, and
 * `connections`) and of the environment.
 */
export function secretsOf(
  blocks: JsonValue | undefined,
  env: Record<string, string | undefined>,
): string[] {
  const found = new Set<string>();
  const walk = (value: JsonValue | undefined) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (
          SECRET_KEYS.has(key) &&
          (typeof inner === 'string' || typeof inner === 'number')
        ) {
          found.add(String(inner).trim());
        } else {
          walk(inner);
        }
      }
    }
  };
  walk(blocks);
  for (const name of SECRET_VARIABLES) {
    const value = env[name]?.trim();
    if (value) {
      found.add(value);
    }
  }
  // APP_CONFIG_aws_mainAccount_secretAccessKey='"..."': a JSON value.
  for (const [name, value] of Object.entries(env)) {
    const key = name.split('_').pop()!;
    if (name.startsWith('APP_CONFIG_') && SECRET_KEYS.has(key) && value) {
      found.add(value.trim());
      found.add(value.trim().replace(/^"(.*)"$/, '$1'));
    }
  }
  return [...found].filter(s => s.length >= MIN_LENGTH);
}

/**
 * Replaces every secret in a text with `****`. The output never carries a
 * secret on purpose; this is the last line of defence against a message
 * from elsewhere (an SDK error, say) that quotes one.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('****');
  }
  return result;
}

/** {@link redact} on every string inside a value, e.g. a whole report. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') {
    return redact(value, secrets) as T;
  }
  if (Array.isArray(value)) {
    return value.map(v => redactDeep(v, secrets)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]),
    ) as T;
  }
  return value;
}

/**
 * The most of an access key ID that is ever shown: its first 4 characters,
 * which tell a long-term key (`AKIA`) from a temporary one (`ASIA`).
 */
export function accessKeyIdPrefix(accessKeyId: string): string {
  return accessKeyId.slice(0, 4);
}

/** The shortest run of a secret's characters that {@link redactFragments} hides. */
const FRAGMENT_LENGTH = 6;

/**
 * Replaces with `****` every run of at least 6 characters that also
 * occurs in a secret. A parser's excerpt of a file may cut a secret
 * anywhere, so {@link redact}, which needs the whole value, would miss
 * it; only for text that may quote a file, such as a load error.
 */
export function redactFragments(
  text: string,
  secrets: readonly string[],
): string {
  const hidden = new Array<boolean>(text.length).fill(false);
  for (const secret of secrets) {
    for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) {
      const fragment = secret.slice(i, i + FRAGMENT_LENGTH);
      for (
        let at = text.indexOf(fragment);
        at >= 0;
        at = text.indexOf(fragment, at + 1)
      ) {
        hidden.fill(true, at, at + FRAGMENT_LENGTH);
      }
    }
  }
  let result = '';
  for (let i = 0; i < text.length; i++) {
    if (!hidden[i]) {
      result += text[i];
    } else if (i === 0 || !hidden[i - 1]) {
      result += '****';
    }
  }
  return result;
}
