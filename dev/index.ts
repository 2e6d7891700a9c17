import { createBackend } from '@backstage/backend-defaults';
import { demoCatalogPlugin, demoScaffolderPlugin } from './demoPlugin';
import { devRootConfigServiceFactory } from './devRootConfig';

// `npm start`: a real backend with this package's service and two demo
// plugins with different AWS settings, at http://localhost:7007/api/demo-catalog
// and http://localhost:7007/api/demo-scaffolder (see dev/README.md).
async function main() {
  const backend = createBackend();
  backend.add(await devRootConfigServiceFactory());
  backend.add(import('../src'));
  backend.add(demoCatalogPlugin);
  backend.add(demoScaffolderPlugin);
  await backend.start();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
