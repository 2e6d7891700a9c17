import { createBackend } from '@backstage/backend-defaults';
import { demoPlugin } from './demoPlugin';
import { devRootConfigServiceFactory } from './devRootConfig';

// `npm start`: a real backend with this package's service and a demo plugin
// at http://localhost:7007/api/aws-credentials-demo (see dev/README.md).
async function main() {
  const backend = createBackend();
  backend.add(await devRootConfigServiceFactory());
  backend.add(import('../src'));
  backend.add(demoPlugin);
  await backend.start();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
