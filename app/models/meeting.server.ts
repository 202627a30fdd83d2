/** 会议 names in SQL, compared as registration stores them (MEETING_FOLD). */
import { type AnyColumn, asc, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches } from "#db/schema";
import { MEETING_FOLD, meetingKey, meetingSession, sameSession } from "~/domain/proposal";

/** A 会议 name (a column or any text expression) folded in SQL as meetingKey folds it in JavaScript. */
export function foldedMeeting(name: SQL | AnyColumn): SQL {
  return sql`translate(${name}, ${MEETING_FOLD.from + MEETING_FOLD.drop}, ${MEETING_FOLD.to})`;
}

/**
 * The batch whose 会议 name folds to this one (MEETING_FOLD): a name stored before input was folded
 * (with ASCII brackets, say) still answers to the name typed now — in a form, a CLI flag, a letter.
 */
export function sameMeeting(meeting: string): SQL {
  return sql`${foldedMeeting(batches.meeting)} = ${meetingKey(meeting)}`;
}

/**
 * The name a typed 会议 is registered under: the stored name of the batch it folds to, or else of
 * the one batch naming the same meeting in other words (meetingSession: "十四届五次会议" for
 * 东莞市政协第十四届五次会议); the typed name, folded, when none or several do. Registration,
 * import and the duplicate checks all go through it, so the short name neither opens a second
 * 会议 nor registers a number the full name already holds.
 */
export async function canonicalMeeting(db: Db, meeting: string): Promise<string> {
  const [known] = await db.select({ meeting: batches.meeting }).from(batches).where(sameMeeting(meeting)).orderBy(asc(batches.id)).limit(1);
  if (known) return known.meeting;
  const typed = meetingSession(meeting);
  if (!typed) return meetingKey(meeting);
  // a bureau's 会议 are tens of rows; two stored before names were folded that fold alike are one
  // 会议 (the oldest answers, as everywhere), not two for the short name to choose between
  const alike = (await db.select({ meeting: batches.meeting }).from(batches).orderBy(asc(batches.id))).filter((b) => {
    const s = meetingSession(b.meeting);
    return s !== null && sameSession(typed, s);
  });
  return new Set(alike.map((b) => meetingKey(b.meeting))).size === 1 ? alike[0]!.meeting : meetingKey(meeting);
}

/**
 * The names a file's rows give their 会议, each as it is registered (canonicalMeeting) — and names of
 * one new 会议 written two ways in the same file (东莞市政协第十五届一次会议 and 十五届一次会议, no batch
 * yet) as one, its fullest: they were two names to the file's duplicate check, then one batch at
 * the insert, and the same number twice failed the import with a 500.
 */
export async function canonicalMeetings(db: Db, typed: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const t of typed) if (!names.has(t)) names.set(t, await canonicalMeeting(db, t));
  const registered = new Set((await db.select({ meeting: batches.meeting }).from(batches)).map((b) => meetingKey(b.meeting)));
  const fresh = [...new Set(names.values())].filter((n) => !registered.has(meetingKey(n)));
  const session = new Map(fresh.map((n) => [n, meetingSession(n)]));
  const alike = (a: string, b: string) => {
    const x = session.get(a);
    const y = session.get(b);
    return x != null && y != null && sameSession(x, y);
  };
  // names linked by sameSession, each group merged only when every two of it are alike (a short
  // name between 东莞市政协… and 东莞市人大… stays as typed: which one it means is not known)
  const seen = new Set<string>();
  for (const n of fresh) {
    if (seen.has(n)) continue;
    const group = [n];
    for (let i = 0; i < group.length; i++) for (const o of fresh) if (!group.includes(o) && alike(group[i]!, o)) group.push(o);
    for (const g of group) seen.add(g);
    if (group.length < 2 || !group.every((a) => group.every((b) => a === b || alike(a, b)))) continue;
    const fullest = group.reduce((a, b) => (b.length > a.length ? b : a));
    for (const [t, c] of names) if (group.includes(c)) names.set(t, fullest);
  }
  return names;
}
