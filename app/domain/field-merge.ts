/**
 * A form saved from a page opened before a colleague's save, field by field (修改登记信息, 修改用户,
 * 期限规则): `base` what the page was opened with, `theirs` what is stored now, `mine` what was posted.
 * A field only they changed takes their value (it used to be put back unseen); one both changed
 * differently is a conflict for the person to decide; the rest is mine. Without a base (a page from
 * before the form carried one) every difference is a conflict. Pure.
 */
export function mergeFields<K extends string, V>(
  keys: readonly K[],
  p: { base: Partial<Record<K, V>> | null; mine: Record<K, V>; theirs: Record<K, V> },
  same: (key: K, a: V, b: V) => boolean = (_, a, b) => a === b,
): { merged: Record<K, V>; conflicts: K[] } {
  const merged = { ...p.mine };
  const conflicts: K[] = [];
  for (const key of keys) {
    const [mine, theirs] = [p.mine[key], p.theirs[key]];
    const base = p.base ? p.base[key] : undefined;
    if (same(key, mine, theirs) || (base !== undefined && same(key, theirs, base))) continue;
    if (base !== undefined && same(key, mine, base)) merged[key] = theirs;
    else conflicts.push(key);
  }
  return { merged, conflicts };
}
