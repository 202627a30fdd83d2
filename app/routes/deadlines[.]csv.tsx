import type { LoaderFunctionArgs } from "@remix-run/node";
import { deadlinesToCsv } from "~/models/deadline-export.server";
import { attachment, deadlinesForRequest } from "~/models/deadline-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const rows = await deadlinesForRequest(request, "CSV");
  return new Response(deadlinesToCsv(rows), { headers: attachment("提案办理期限.csv", "text/csv; charset=utf-8", "deadlines.csv") });
}
