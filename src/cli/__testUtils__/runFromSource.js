/*
 * Preloaded (`node --require`) by the CLI's end-to-end tests, after the
 * Backstage node transform: bin/backstage-aws-credentials then loads the
 * CLI from src/cli/index.ts where an installed package loads
 * dist/cli.cjs.js. The tests so run the shipped bin as a user does (a
 * child process, its arguments, streams and exit code) without needing
 * `npm run build` first; cliBuild.test.ts checks that the build makes the
 * file the bin loads.
 */
'use strict';

const Module = require('node:module');
const { dirname, join, resolve } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const built = join(root, 'dist', 'cli.cjs.js');
const source = join(root, 'src', 'cli', 'index.ts');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveBuiltFromSource(
  request,
  parent,
  ...rest
) {
  if (
    request.startsWith('.') &&
    parent?.filename &&
    resolve(dirname(parent.filename), request) === built
  ) {
    return source;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
