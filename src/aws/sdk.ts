/* eslint-disable @typescript-eslint/no-require-imports */
import type * as ClientOrganizations from '@aws-sdk/client-organizations';
import type * as ClientSts from '@aws-sdk/client-sts';
import type * as CredentialProviders from '@aws-sdk/credential-providers';
import type * as UtilEndpoints from '@aws-sdk/util-endpoints';
import type * as NodeHttpHandler from '@smithy/node-http-handler';

function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/**
 * The AWS SDK modules, loaded on first use instead of at import: importing
 * this package and reading the config stay cheap, and a backend pays for
 * the SDK code of only the credential sources it uses.
 */
export const sdk = {
  credentialProviders: once(
    () =>
      require('@aws-sdk/credential-providers') as typeof CredentialProviders,
  ),
  clientSts: once(() => require('@aws-sdk/client-sts') as typeof ClientSts),
  clientOrganizations: once(
    () =>
      require('@aws-sdk/client-organizations') as typeof ClientOrganizations,
  ),
  utilEndpoints: once(
    () => require('@aws-sdk/util-endpoints') as typeof UtilEndpoints,
  ),
  nodeHttpHandler: once(
    () => require('@smithy/node-http-handler') as typeof NodeHttpHandler,
  ),
};
