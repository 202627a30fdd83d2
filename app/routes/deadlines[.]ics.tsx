import type { LoaderFunctionArgs } from "@remix-run/node";
import { deadlinesToIcs } from "~/models/deadline-export.server";
import { attachment, deadlinesForRequest } from "~/models/deadline-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const rows = await deadlinesForRequest(request);
  return new Response(deadlinesToIcs(rows, new URL(request.url).hostname), { headers: attachment("提案办理期限.ics", "text/calendar; charset=utf-8") });
}
