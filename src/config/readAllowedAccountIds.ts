import { JsonObject } from '@backstage/config';
import { kindOf } from './jsonValues';
import { Problems } from './Problems';
import { checkAccountId } from './rules';

/**
 * Reads `allowedAccountIds` of `block` (at `path`): a list of 12-digit
 * account IDs, each once. An empty list is kept: it allows nothing but the
 * main account.
 */
export function readAllowedAccountIds(
  block: JsonObject,
  path: string,
  problems: Problems,
): string[] | undefined {
  const value = block.allowedAccountIds;
  const listPath = `${path}.allowedAccountIds`;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.add(
      listPath,
      `must be a list of 12-digit account IDs, not ${kindOf(
        value,
      )}; start each entry with '- ' and quote it, e.g. - '123456789012'`,
    );
    return undefined;
  }
  const seen = new Map<string, number>();
  const ids: string[] = [];
  value.forEach((id, index) => {
    const idPath = `${listPath}[${index}]`;
    if (typeof id !== 'string') {
      const quote =
        typeof id === 'number'
          ? '; put the account ID in quotes in YAML so leading zeros are kept'
          : '';
      problems.add(idPath, `must be a string, not ${kindOf(id)}${quote}`);
      return;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.add(
        idPath,
        `account ${id} is already listed at ${listPath}[${earlier}]; remove one of them`,
      );
      return;
    }
    seen.set(id, index);
    if (checkAccountId(id, idPath, problems)) {
      ids.push(id);
    }
  });
  return ids;
}
