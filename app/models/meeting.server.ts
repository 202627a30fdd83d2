/** 会议 names in SQL, compared as registration stores them (MEETING_FOLD). */
import { type AnyColumn, sql, type SQL } from "drizzle-orm";
import { batches } from "#db/schema";
import { MEETING_FOLD, meetingKey } from "~/domain/proposal";

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
