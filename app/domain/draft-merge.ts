/**
 * Two saves of one draft from the same revision (two tabs, two people): the changes each made
 * since that revision, put together. Paragraphs are matched by their ids, so one person's edit of
 * paragraph 3 and the other's of paragraph 8 both stay. Where both changed the same thing
 * (one paragraph, the order, a setting), `mine` is taken and the place is named in `overlaps`:
 * the caller decides whether that needs the person's eyes. Pure.
 */
import type { Draft, DraftBlock } from "./draft";

/** Equal as data: object keys in any order (a stored revision comes back in the database's key order). */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
export const sameData = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export type DraftOverlap = { kind: "block"; id: string } | { kind: "order" } | { kind: "setting"; key: string } | { kind: "added"; id: string };

export interface DraftMerge {
  draft: Draft;
  /** What both changed differently (mine was taken there). Empty: a clean merge. */
  overlaps: DraftOverlap[];
}

/** One value changed by either side: the side that changed it; both, differently: mine, and said. */
function pick<T>(base: T, theirs: T, mine: T, overlap: () => void): T {
  if (sameData(mine, base)) return theirs;
  if (sameData(theirs, base) || sameData(theirs, mine)) return mine;
  overlap();
  return mine;
}

export function mergeDrafts(base: Draft, theirs: Draft, mine: Draft): DraftMerge {
  const overlaps: DraftOverlap[] = [];
  const byId = (d: Draft) => new Map(d.blocks.map((b) => [b.id, b]));
  const [b0, t0, m0] = [byId(base), byId(theirs), byId(mine)];

  // each paragraph: kept, changed, or removed by one side (removed where the other changed it: kept, said)
  const merged = new Map<string, DraftBlock>();
  for (const id of new Set([...t0.keys(), ...m0.keys()])) {
    const [was, t, m] = [b0.get(id), t0.get(id), m0.get(id)];
    if (!was) {
      // added by one side (or both, the same id: an impossible coincidence, taken as mine)
      merged.set(id, (m ?? t)!);
      continue;
    }
    if (t && m)
      merged.set(
        id,
        pick(was, t, m, () => overlaps.push({ kind: "block", id })),
      );
    else if (t && !m) {
      // removed by me: unless they changed it meanwhile
      if (!sameData(t, was)) {
        overlaps.push({ kind: "block", id });
        merged.set(id, t);
      }
    } else if (m && !t) {
      if (!sameData(m, was)) {
        overlaps.push({ kind: "block", id });
        merged.set(id, m);
      }
    }
  }

  // the order: the side that reordered the paragraphs both still have; the other side's new ones after
  // the paragraph they follow there
  const common = (d: Draft) => d.blocks.map((b) => b.id).filter((id) => b0.has(id) && merged.has(id) && t0.has(id) && m0.has(id));
  const [baseOrder, theirOrder, myOrder] = [common(base), common(theirs), common(mine)];
  const mineReordered = !sameData(myOrder, baseOrder);
  const theirsReordered = !sameData(theirOrder, baseOrder);
  if (mineReordered && theirsReordered && !sameData(myOrder, theirOrder)) overlaps.push({ kind: "order" });
  const [lead, other] = mineReordered ? [mine, theirs] : [theirs, mine];
  const order = lead.blocks.map((b) => b.id).filter((id) => merged.has(id));
  const placed = new Set(order);
  // (a paragraph the leading side removed but the other changed is in the other side's list too)
  other.blocks.forEach((b, i) => {
    if (!merged.has(b.id) || placed.has(b.id)) return;
    const before = other.blocks
      .slice(0, i)
      .map((x) => x.id)
      .reverse()
      .find((id) => placed.has(id));
    order.splice(before === undefined ? 0 : order.indexOf(before) + 1, 0, b.id);
    placed.add(b.id);
  });

  // paragraphs both added at one place, or the same text both added (the same library paragraph inserted
  // in two tabs): kept, both, and said — put together silently, the letter held it twice
  const additions = (d: Draft) =>
    d.blocks.flatMap((b, i) => {
      if (b0.has(b.id)) return [];
      const after = d.blocks
        .slice(0, i)
        .map((x) => x.id)
        .reverse()
        .find((id) => b0.has(id));
      return [{ id: b.id, after: after ?? null, text: JSON.stringify(canonical({ ...b, id: null })) }];
    });
  const theirAdditions = additions(theirs);
  for (const a of additions(mine))
    if (!t0.has(a.id) && theirAdditions.some((t) => !m0.has(t.id) && (t.after === a.after || t.text === a.text))) overlaps.push({ kind: "added", id: a.id });

  // the letter's settings (结果, 公开, 电话, 署名, 主送)
  const settings: Partial<Draft> = {};
  for (const key of ["outcome", "disclosure", "disclosureReason", "phone", "printSignerName", "addressee"] as const) {
    const value = pick(base[key], theirs[key], mine[key], () => overlaps.push({ kind: "setting", key }));
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  return { draft: { ...(settings as Omit<Draft, "blocks">), blocks: order.map((id) => merged.get(id)!) }, overlaps };
}
