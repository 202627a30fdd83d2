/** The deadline rows a signed-in user may export: their visibility, optionally only their own, optionally one 会议. */
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { visibilityFor } from "./access.server";
import { listDeadlines, today } from "./deadline.server";

const query = z.object({
  mine: z.literal("1").optional(),
  meeting: z.string().max(100).optional(),
  dueWithin: z.coerce.number().int().min(0).max(3650).optional(),
});

export async function deadlinesForRequest(request: Request) {
  const user = await requireUser(request);
  const q = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!q.success) throw new Response("查询参数无效。", { status: 400 });
  const db = await getDb();
  const { scope } = await visibilityFor(db, user);
  const handlerId = q.data.mine ? user.id : scope.handlerId;
  return listDeadlines(db, { today: today(), handlerId, meeting: q.data.meeting || undefined, dueWithin: q.data.dueWithin });
}

export const attachment = (name: string, type: string) => ({
  "Content-Type": type,
  "Content-Disposition": `attachment; filename="deadlines"; filename*=UTF-8''${encodeURIComponent(name)}`,
  "Cache-Control": "private, no-store",
});
