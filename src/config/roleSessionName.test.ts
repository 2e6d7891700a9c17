import { substitutePluginId, unknownPlaceholders } from './roleSessionName';

describe('substitutePluginId', () => {
  it('replaces every {pluginId} with the plugin ID', () => {
    expect(substitutePluginId('backstage-{pluginId}', 'catalog')).toBe(
      'backstage-catalog',
    );
    expect(substitutePluginId('{pluginId}@{pluginId}', 'scaffolder')).toBe(
      'scaffolder@scaffolder',
    );
  });

  it('returns a template without {pluginId} unchanged', () => {
    expect(substitutePluginId('backstage', 'catalog')).toBe('backstage');
  });

  it('keeps the characters STS accepts in a plugin ID, and maps every other one to -', () => {
    expect(substitutePluginId('b-{pluginId}', 'tech_insights-2')).toBe(
      'b-tech_insights-2',
    );
    expect(substitutePluginId('b-{pluginId}', 'a+b=c,d.e@f')).toBe(
      'b-a+b=c,d.e@f',
    );
    expect(substitutePluginId('b-{pluginId}', 'my plugin/ünï:{x}')).toBe(
      'b-my-plugin--n---x-',
    );
  });

  it('leaves the template itself alone, however it is written', () => {
    // Templates are validated at start-up; only the plugin ID is mapped.
    expect(substitutePluginId('team {pluginId}', 'a b')).toBe('team a-b');
  });

  it('cuts the result to 64 characters, the most STS takes', () => {
    const longId = 'p'.repeat(100);
    const name = substitutePluginId('backstage-{pluginId}', longId);
    expect(name).toHaveLength(64);
    expect(name).toBe(`backstage-${'p'.repeat(54)}`);
    expect(substitutePluginId('x'.repeat(70), 'catalog')).toBe('x'.repeat(64));
  });
});

describe('unknownPlaceholders', () => {
  it('lists each placeholder other than {pluginId} once, in order', () => {
    expect(
      unknownPlaceholders('{team}-{pluginId}-{env}-{team}-{}'),
    ).toStrictEqual(['{team}', '{env}', '{}']);
  });

  it('finds none in a plain name or one with only {pluginId}', () => {
    expect(unknownPlaceholders('backstage')).toStrictEqual([]);
    expect(unknownPlaceholders('backstage-{pluginId}')).toStrictEqual([]);
  });
});
