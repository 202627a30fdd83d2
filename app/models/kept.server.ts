/**
 * Results a process keeps between requests, per database handle, the most recently used up to
 * `max` (lru-cache). The promise is kept while it computes, so requests arriving meanwhile share
 * one computation; a failed one is dropped. Callers put into the key everything the value
 * depends on — a fingerprint read from the database on each request — so a kept value is never
 * stale, with one instance or several; entries under an old fingerprint simply age out.
 */
import { LRUCache } from "lru-cache";
import type { Db } from "#db/client.server";

export function keptPerDatabase<T>(max: number): (db: Db, key: string, make: () => Promise<T>) => Promise<T> {
  const perDb = new WeakMap<Db, LRUCache<string, Promise<T>>>();
  return (db, key, make) => {
    let cache = perDb.get(db);
    if (!cache) perDb.set(db, (cache = new LRUCache<string, Promise<T>>({ max })));
    const hit = cache.get(key);
    if (hit) return hit;
    const value = make();
    cache.set(key, value);
    const kept = cache;
    value.catch(() => {
      if (kept.get(key) === value) kept.delete(key);
    });
    return value;
  };
}
