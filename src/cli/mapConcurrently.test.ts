import { mapConcurrently } from './mapConcurrently';

describe('mapConcurrently', () => {
  it('keeps at most `concurrency` calls in flight and the results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const done = mapConcurrently([1, 2, 3, 4, 5], 2, async n => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise<void>(resolve => release.push(resolve));
      inFlight -= 1;
      return n * 10;
    });
    // Let each waiting call finish, latest first, until all have run.
    while (release.length > 0 || inFlight > 0) {
      await new Promise(setImmediate);
      release.pop()?.();
    }

    expect(await done).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it('returns an empty list for no items', async () => {
    expect(await mapConcurrently([], 8, async () => 1)).toEqual([]);
  });
});
