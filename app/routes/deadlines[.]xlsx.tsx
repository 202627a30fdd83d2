import type { LoaderFunctionArgs } from "@remix-run/node";
import { deadlinesToXlsx } from "~/models/deadline-export.server";
import { attachment, deadlinesForRequest } from "~/models/deadline-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const rows = await deadlinesForRequest(request, "Excel");
  return new Response(new Uint8Array(await deadlinesToXlsx(rows)), {
    headers: attachment("提案办理期限.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "deadlines.xlsx"),
  });
}
