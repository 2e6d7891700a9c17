import { LeastRecentlyUsed, LruLinks } from './LeastRecentlyUsed';

interface Item extends LruLinks<Item> {
  name: string;
}

function listOf(max: number) {
  const evicted: string[] = [];
  const list = new LeastRecentlyUsed<Item>(max, item =>
    evicted.push(item.name),
  );
  const items = Object.fromEntries(
    ['a', 'b', 'c', 'd'].map(name => [name, { name } as Item]),
  );
  return { list, evicted, items };
}

describe('LeastRecentlyUsed', () => {
  it('evicts the least recently used item beyond its bound', () => {
    const { list, evicted, items } = listOf(2);
    list.use(items.a);
    list.use(items.b);
    list.use(items.a);
    list.use(items.c);
    expect(evicted).toEqual(['b']);
    list.use(items.d);
    expect(evicted).toEqual(['b', 'a']);
    expect(list.size).toBe(2);
  });

  it('counts an item used twice once', () => {
    const { list, evicted, items } = listOf(2);
    list.use(items.a);
    list.use(items.a);
    list.use(items.b);
    expect(list.size).toBe(2);
    expect(evicted).toEqual([]);
  });

  it('takes an item out without evicting it, and can take it back', () => {
    const { list, evicted, items } = listOf(2);
    list.use(items.a);
    list.use(items.b);
    list.delete(items.a);
    list.delete(items.a);
    expect(list.size).toBe(1);
    list.use(items.c);
    list.use(items.a);
    expect(evicted).toEqual(['b']);
    expect(list.size).toBe(2);
  });

  it('evicts down to a lower bound, oldest first', () => {
    const { list, evicted, items } = listOf(4);
    for (const name of ['a', 'b', 'c', 'd']) {
      list.use(items[name]);
    }
    list.max = 1;
    expect(evicted).toEqual(['a', 'b', 'c']);
    expect(list.size).toBe(1);
  });
});
