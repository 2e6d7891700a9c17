import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { readConfig } from '../manager/readConfig';
import { awsCredentialsServiceFactory } from './awsCredentialsServiceFactory';

/**
 * What `backend.add(import('backstage-aws-credentials'))` adds: the service
 * factory, once the `aws` block has been checked. A bad block stops the
 * backend before its HTTP server listens, with every mistake and its key
 * path. A factory of the service that the backend adds itself (a mock, or
 * a factory of its own) wins over this one.
 *
 * @public
 */
export const awsCredentialsFeatureLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  loader({ config }) {
    // Loaders run before the root services start, the HTTP server among
    // them; the service's own root context is only made when the first
    // plugin that uses it starts, after the server listens. Reading the
    // block here throws the same InputError that root context would.
    readConfig(config);
    return [awsCredentialsServiceFactory];
  },
});
