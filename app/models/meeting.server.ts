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
  // a bureau's 会议 are tens of rows
  const alike = (await db.select({ meeting: batches.meeting }).from(batches)).filter((b) => {
    const s = meetingSession(b.meeting);
    return s !== null && sameSession(typed, s);
  });
  return alike.length === 1 ? alike[0]!.meeting : meetingKey(meeting);
}
