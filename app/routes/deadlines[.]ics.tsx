import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { deadlinesToIcs } from "~/models/deadline-export.server";
import { attachment, deadlinesForRequest } from "~/models/deadline-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const rows = await deadlinesForRequest(request, "日历");
  // one name for this installation, whichever address the file was fetched from
  const domain = config().PUBLIC_URL ? new URL(config().PUBLIC_URL!).hostname : "proposal-reply-desk.local";
  return new Response(deadlinesToIcs(rows, domain), { headers: attachment("提案办理期限.ics", "text/calendar; charset=utf-8", "deadlines.ics") });
}
