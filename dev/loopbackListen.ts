import type { Config } from '@backstage/config';

/** The only interface the dev backend listens on. */
export const DEV_HOST = '127.0.0.1';
const DEFAULT_PORT = 7007;

/** Host names that already mean this machine only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * `backend.listen` as the backend reads it: `{ host, port }`, or a
 * string `'[host:]port'` (`asString`), which a layer over it must also be.
 */
function readListen(config: Config): {
  host?: string;
  port?: number;
  asString?: boolean;
} {
  const listen = config.getOptional('backend.listen');
  if (typeof listen === 'string') {
    const parts = listen.split(':');
    const port = Number(parts[parts.length - 1]);
    return {
      ...(parts.length === 2 && { host: parts[0] }),
      ...(Number.isInteger(port) && { port }),
      asString: true,
    };
  }
  // getOptional: an empty host, which means every interface, is no string to Config.
  const host = config.getOptional('backend.listen.host');
  return {
    ...(typeof host === 'string' && { host }),
    port: config.getOptionalNumber('backend.listen.port'),
  };
}

/**
 * The config layers that keep the dev backend on 127.0.0.1 whatever
 * config it is given: `defaults`, under the user's config, for the base
 * URL a backend needs to start; `forced`, over it, for the host (with the
 * user's port, or 7007). The demo routes answer without a Backstage token, so they
 * must not be reachable from other machines.
 *
 * @throws Error when the user's config asks for another interface, which
 * is refused rather than silently replaced.
 */
export function loopbackListen(user: Config): {
  defaults: { backend: { baseUrl: string } };
  forced: { backend: { listen: { host: string; port: number } | string } };
} {
  const { host, port = DEFAULT_PORT, asString } = readListen(user);
  if (host !== undefined && !isLoopback(host)) {
    const where = host === '' ? 'every interface' : `'${host}'`;
    throw new Error(
      `The dev backend listens on ${DEV_HOST} only, because its demo routes answer without a Backstage token; your config sets backend.listen to ${where}. Remove backend.listen.host from the config you pass to npm start (or set it to ${DEV_HOST}); to listen elsewhere, add the package to a backend of your own.`,
    );
  }
  return {
    defaults: { backend: { baseUrl: `http://localhost:${port}` } },
    forced: {
      backend: {
        listen: asString ? `${DEV_HOST}:${port}` : { host: DEV_HOST, port },
      },
    },
  };
}
