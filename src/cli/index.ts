/*
 * The entry of `backstage-aws-credentials check`, built to dist/cli.cjs.js
 * (the `./cli` entry of package.json exports) and run by
 * bin/backstage-aws-credentials. Not an API: only the bin uses it.
 */
export { main } from './main';
