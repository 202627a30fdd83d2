/** 批量导入的模板：the columns the importer reads, an example row and a sheet of instructions. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { proposalSheetTemplate } from "~/import/proposal-sheet.server";
import { attachment } from "~/models/deadline-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.register");
  return new Response(new Uint8Array(await proposalSheetTemplate()), {
    headers: attachment("提案交办清单模板.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "proposal-import-template.xlsx"),
  });
}
