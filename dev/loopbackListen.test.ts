import { ConfigReader } from '@backstage/config';
import { readHttpServerOptions } from '@backstage/backend-defaults/rootHttpRouter';
import { loopbackListen } from './loopbackListen';

/** What the backend listens on with the user's config between the layers. */
function listenOf(user: object) {
  const { defaults, forced } = loopbackListen(new ConfigReader(user));
  const merged = ConfigReader.fromConfigs([
    { data: defaults, context: 'defaults' },
    { data: user, context: 'user' },
    { data: forced, context: 'forced' },
  ]);
  return {
    ...readHttpServerOptions(merged.getConfig('backend')).listen,
    baseUrl: merged.getString('backend.baseUrl'),
  };
}

describe('loopbackListen', () => {
  it('gives a config without a backend block what a backend needs, on 127.0.0.1', () => {
    expect(listenOf({})).toEqual({
      host: '127.0.0.1',
      port: 7007,
      baseUrl: 'http://localhost:7007',
    });
  });

  it("keeps the user's port and base URL", () => {
    expect(
      listenOf({
        backend: {
          baseUrl: 'http://localhost:8080',
          listen: { port: 8080 },
        },
      }),
    ).toEqual({
      host: '127.0.0.1',
      port: 8080,
      baseUrl: 'http://localhost:8080',
    });
  });

  it('binds 127.0.0.1 for a listen string with a port only', () => {
    expect(listenOf({ backend: { listen: '9000' } })).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
    });
  });

  it.each(['localhost', '127.0.0.1', '::1'])(
    'accepts %s, which already means this machine only',
    host => {
      expect(listenOf({ backend: { listen: { host } } }).host).toBe(
        '127.0.0.1',
      );
    },
  );

  it.each([
    [{ listen: { host: '0.0.0.0' } }, "'0.0.0.0'"],
    [{ listen: { host: '192.168.1.10', port: 7007 } }, "'192.168.1.10'"],
    [{ listen: { host: '' } }, 'every interface'],
    [{ listen: ':7007' }, 'every interface'],
    [{ listen: '0.0.0.0:7007' }, "'0.0.0.0'"],
  ])('refuses %j, saying why', (backend, where) => {
    expect(() => loopbackListen(new ConfigReader({ backend }))).toThrow(
      `The dev backend listens on 127.0.0.1 only, because its demo routes answer without a Backstage token; your config sets backend.listen to ${where}.`,
    );
  });
});
