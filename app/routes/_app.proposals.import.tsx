/**
 * Bulk registration from the batch spreadsheet: upload → preview with per-row errors →
 * confirm. The confirmed rows are re-validated on the server and go in in one transaction.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { jsonField } from "~/domain/json-field";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { BUREAU_ROLE_LABELS, formatProposers, leadUnitProblem, OPTIONAL_SHEET_COLUMNS, proposalInputSchema, proposerTotalProblem, SHEET_COLUMNS } from "~/domain/proposal";
import { isUniqueViolation } from "#db/errors";
import { classifyImportRows, IMPORT_SPELLING_CLASH, importProposals, type ImportRowStatus } from "~/models/proposal-import.server";
import { lockRegistrations } from "~/models/proposal.server";
import { readMultipartForm } from "~/models/upload.server";
import { ignoredColumnsNote, readProposalSheetFile, SheetError } from "~/import/proposal-sheet.server";
import { FileField, FormError } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import { ScrollArea } from "~/ui/scroll-area";

const confirmSchema = z.object({
  rows: jsonField(
    z
      .array(
        z.object({ row: z.number().int(), input: proposalInputSchema }).refine(
          // what the sheet's reader checks beyond the schema, checked again on what comes back
          (r) => !proposerTotalProblem(r.input) && !leadUnitProblem(r.input),
          { message: "导入数据无效，请重新上传文件。" },
        ),
      )
      .min(1)
      .max(5000),
  ),
});

export const meta: MetaFunction = () => [{ title: "批量导入 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.register");
  return null;
}

type Preview = { fileName: string; rows: ImportRowStatus[]; columnsNote?: string | null };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const { form, tooLarge } = await readMultipartForm(request);
  const db = await getDb();
  if (form.get("intent") === "confirm") {
    const parsed = confirmSchema.safeParse({ rows: form.get("rows") });
    if (!parsed.success) return data({ error: parsed.error.issues[0].message, preview: null as Preview | null }, { status: 400 });
    // The lock makes the check and the insert one step against every other registration.
    const result = await db
      .transaction(async (tx) => {
        await lockRegistrations(tx);
        const rows = await classifyImportRows(tx, parsed.data.rows);
        if (rows.some((r) => r.status === "error")) return { rows };
        return { rows, ...(await importProposals(tx, { rows, actorId: user.id })) };
      })
      .catch((e: unknown) => {
        // one number twice in one 会议 that the check did not see as one (its name written two ways): nothing written
        if (isUniqueViolation(e)) return { clash: true as const };
        throw e;
      });
    if ("clash" in result) return data({ error: IMPORT_SPELLING_CLASH, preview: null as Preview | null }, { status: 409 });
    if (!("created" in result))
      return data(
        {
          error: "导入前数据已发生变化，有行出现冲突，未导入任何提案。请检查下表。",
          preview: { fileName: String(form.get("fileName") ?? ""), rows: result.rows } satisfies Preview as Preview,
        },
        { status: 409 },
      );
    throw redirect(`/proposals?imported=${result.created}&skipped=${result.skipped}`);
  }
  if (tooLarge) return data({ error: "文件过大。", preview: null }, { status: 400 });
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return data({ error: "请选择 CSV 或 XLSX 文件。", preview: null }, { status: 400 });
  try {
    const sheet = await readProposalSheetFile(file.name, Buffer.from(await file.arrayBuffer()));
    const rows = await classifyImportRows(db, sheet.rows);
    const exampleNote = sheet.exampleRows.length ? `第 ${sheet.exampleRows.join("、")} 行是模板的示例行，不导入。` : null;
    return {
      error: null,
      preview: { fileName: file.name, rows, columnsNote: [exampleNote, ignoredColumnsNote(sheet.ignoredColumns)].filter(Boolean).join("") || null } satisfies Preview as Preview,
    };
  } catch (e) {
    if (e instanceof SheetError) return data({ error: e.message, preview: null }, { status: 400 });
    throw e;
  }
}

export default function ImportProposals() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const preview = actionData?.preview;
  const errors = preview?.rows.filter((r) => r.status === "error").length ?? 0;
  const fresh = preview?.rows.filter((r) => r.status === "new") ?? [];
  const existing = preview?.rows.filter((r) => r.status === "existing").length ?? 0;
  return (
    <>
      <PageHeader title="批量导入提案" subtitle={`支持交办单位发来的 CSV 或 XLSX 文件，表头：${SHEET_COLUMNS.join("，")}（可选：${OPTIONAL_SHEET_COLUMNS.join("，")}）。`} />
      <Form method="post" encType="multipart/form-data" className="card mb-5 flex flex-wrap items-end gap-3">
        <FileField label="交办清单文件" name="file" accept=".csv,.xlsx" required />
        <button type="submit" name="intent" value="preview" className="btn-primary" disabled={busy}>
          {busy ? "正在读取…" : "预览"}
        </button>
        <span className="text-xs text-slate-500">
          整份文件要么全部导入，要么一行也不导入；已登记的相同提案自动跳过。
          <a href="/proposals/import/template.xlsx" className="ml-2" download>
            下载填写模板（XLSX）
          </a>
        </span>
      </Form>
      <FormError message={actionData?.error} />
      {preview ? (
        <section aria-label="导入预览">
          <h2 className="mb-2 text-lg font-semibold">预览：{preview.fileName}</h2>
          <p className="mb-3 text-sm">
            共 {preview.rows.length} 行：新提案 <strong>{fresh.length}</strong> 件，已登记（跳过）<strong>{existing}</strong> 件，有错误{" "}
            <strong className={errors ? "text-red-700" : ""}>{errors}</strong> 行。
          </p>
          {preview.columnsNote ? (
            <p role="note" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {preview.columnsNote}
            </p>
          ) : null}
          <ScrollArea label="导入预览（表格）" className="card mb-4 p-0">
            <table className="table-base">
              <thead>
                <tr>
                  <th>行</th>
                  <th>结果</th>
                  <th>会议</th>
                  <th>提案号</th>
                  <th>案由</th>
                  <th>提案者</th>
                  <th>办理方式</th>
                  <th>交办日期</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) =>
                  r.status === "error" ? (
                    <tr key={r.row} className="bg-red-50">
                      <td>{r.row}</td>
                      <td>
                        <StateBadge label="错误" tone="red" />
                      </td>
                      <td colSpan={6}>
                        <ul className="list-disc pl-4 text-red-800">
                          {r.errors.map((m) => (
                            <li key={m}>{m}</li>
                          ))}
                        </ul>
                        <div className="mt-1 text-xs text-slate-500">{Object.values(r.raw).join(" | ")}</div>
                      </td>
                    </tr>
                  ) : (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td>{r.status === "new" ? <StateBadge label="新登记" tone="green" /> : <StateBadge label="已登记，跳过" />}</td>
                      <td>{r.input.meeting}</td>
                      <td>{r.input.number}</td>
                      <td>{r.input.title}</td>
                      <td>{formatProposers(r.input.proposers, r.input.proposerTotal)}</td>
                      <td>{BUREAU_ROLE_LABELS[r.input.bureauRole]}</td>
                      <td>{r.input.assignedOn}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </ScrollArea>
          {errors === 0 && fresh.length > 0 ? (
            <Form method="post" encType="multipart/form-data" className="flex gap-2">
              <input type="hidden" name="fileName" value={preview.fileName} />
              <input
                type="hidden"
                name="rows"
                value={JSON.stringify(preview.rows.filter((r) => r.status !== "error").map((r) => ({ row: r.row, input: "input" in r ? r.input : null })))}
              />
              <button type="submit" name="intent" value="confirm" className="btn-primary" disabled={busy}>
                确认导入 {fresh.length} 件
              </button>
              <Link to="/proposals/import" className="btn-secondary">
                取消
              </Link>
            </Form>
          ) : errors > 0 ? (
            <p className="text-sm text-red-800">请在文件中改正以上错误后重新上传；本次未导入任何提案。</p>
          ) : (
            <p className="text-sm">文件中的提案均已登记，无需导入。</p>
          )}
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
