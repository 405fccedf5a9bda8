import {
  AccountLru,
  ASSUMED_BYTES_PER_CACHED_ACCOUNT,
  accountsForMemory,
} from '../../../src/adapters/org-iam/account-lru';

describe('AccountLru', () => {
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const lru = new AccountLru<string>(2);
    lru.getOrCreate('a', () => 'A');
    lru.getOrCreate('b', () => 'B');
    expect(lru.getOrCreate('a', () => 'new A')).toBe('A'); // a is now the most recent
    lru.getOrCreate('c', () => 'C'); // evicts b
    expect(lru.size).toBe(2);
    expect(lru.evictions).toBe(1);
    expect(lru.getOrCreate('a', () => 'again')).toBe('A');
    expect(lru.getOrCreate('b', () => 'fresh B')).toBe('fresh B');
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new AccountLru(0)).toThrow(/maxEntries/);
  });
});

describe('accountsForMemory', () => {
  it('gives a quarter of the function memory to cached accounts, never fewer than 16', () => {
    expect(accountsForMemory(1024)).toBe(Math.floor((256 * 1024 * 1024) / ASSUMED_BYTES_PER_CACHED_ACCOUNT));
    expect(accountsForMemory(128)).toBe(256);
    expect(accountsForMemory(1)).toBe(16);
  });
});
