import type { JsonObject, JsonValue } from '@backstage/config';

/** A secret of the `aws` block, printed as a `${VARIABLE}` in its place. */
export class SecretPlaceholder {
  constructor(
    /** The environment variable that is to hold the value. */
    readonly variable: string,
    /** Where the value was in the `aws` block. */
    readonly path: string,
  ) {}
}

/** A value of the migrated config: JSON, or a secret's placeholder. */
export type MigratedValue =
  | JsonValue
  | SecretPlaceholder
  | MigratedValue[]
  | MigratedObject;

/** An object of the migrated config. */
export type MigratedObject = { [key: string]: MigratedValue | undefined };

/**
 * A migrated value with every placeholder replaced by its secret: what the
 * config is once the variables are set (for the dev demo and tests).
 */
export function withSecrets(
  value: MigratedValue,
  secrets: ReadonlyArray<{ variable: string; value: string }>,
): JsonValue {
  if (value instanceof SecretPlaceholder) {
    return secrets.find(s => s.variable === value.variable)!.value;
  }
  if (Array.isArray(value)) {
    return value.map(v => withSecrets(v, secrets));
  }
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) {
        out[key] = withSecrets(inner, secrets);
      }
    }
    return out;
  }
  return value;
}
