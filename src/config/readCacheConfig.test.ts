import { ConfigReader } from '@backstage/config';
import { readAwsIntegrationConfig } from './readAwsIntegrationConfig';

function read(aws: object) {
  return readAwsIntegrationConfig(new ConfigReader(aws as any));
}

describe('aws.cache', () => {
  it('is absent unless configured', () => {
    expect(read({})).not.toHaveProperty('cache');
  });

  it.each([
    [1, 1],
    [10_000, 10_000],
    ['250', 250],
    [' 500 ', 500],
  ])('reads maxDefaultAccounts %j as %j', (maxDefaultAccounts, expected) => {
    expect(read({ cache: { maxDefaultAccounts } }).cache).toEqual({
      maxDefaultAccounts: expected,
    });
  });

  it.each([
    [0, 'not 0'],
    [-5, 'not -5'],
    [2.5, 'not 2.5'],
    ['many', 'not another string'],
    ['', 'not another string'],
    [true, 'not a boolean'],
    [{ n: 1 }, 'not an object'],
  ])(
    'rejects maxDefaultAccounts %j with its key path and the fix',
    (value, what) => {
      expect(() => read({ cache: { maxDefaultAccounts: value } })).toThrow(
        `Invalid AWS configuration, aws.cache.maxDefaultAccounts: must be a whole number of at least 1, ${what}; e.g. 10000 (the default)`,
      );
    },
  );

  it('rejects an unknown key of aws.cache, suggesting the near miss', () => {
    expect(() => read({ cache: { maxDefaultAcounts: 5 } })).toThrow(
      "aws.cache.maxDefaultAcounts: unknown key; did you mean 'maxDefaultAccounts'?",
    );
  });

  it('rejects an aws.cache that is not an object', () => {
    expect(() => read({ cache: 5 })).toThrow(
      'aws.cache: must be an object, not a number',
    );
  });
});
