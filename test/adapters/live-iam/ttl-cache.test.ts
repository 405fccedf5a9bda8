import { TtlCache } from '../../../src/adapters/live-iam/ttl-cache';

test('caches for the TTL, shares in-flight loads, forgets failures, bounds its size', async () => {
  let now = 0;
  const cache = new TtlCache<number>(1000, () => now, 3);
  let loads = 0;
  const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 5));
  const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
  expect([a, b, loads]).toEqual([1, 1, 1]);
  now = 999;
  expect(await cache.get('k', load)).toBe(1);
  now = 1000 + 5;
  expect(await cache.get('k', load)).toBe(2);

  await expect(cache.get('bad', () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
  expect(await cache.get('bad', async () => 7)).toBe(7);

  for (const key of ['x', 'y', 'z']) await cache.get(key, async () => 0);
  expect(cache.size).toBe(3);
});
