/** 发文字号: the series' next numbers (shared with the bureau's other letters) and numbers issued outside the system. */
import { audit } from "~/models/audit.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { listCounters, listDocumentNumbers, registerExternalNumber, removeExternalNumber, setNextNumber } from "~/models/document-numbers.server";
import { loadTemplates } from "~/models/letter-templates.server";
import { WorkflowRefusedError } from "~/models/workflow.server";
import { today } from "~/models/deadline.server";
import { FormError, SelectField, TextField } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { useZodForm } from "~/ui/zod-form";
import { readForm } from "~/http/form.server";

const forms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("next"),
    // one of the templates' prefixes (checked in the action): any text made a series of its own, a long one a 500
    prefix: z.string({ error: "请选择文号前缀" }).trim().min(1, "请选择文号前缀").max(40, "请选择列表中的文号前缀"),
    year: z.number({ error: "请填写年份" }).int("请填写年份").min(2000, "年份不合理").max(2100, "年份不合理"),
    next: z.number({ error: "请填写下一个号" }).int("须为整数").min(1, "须大于 0").max(99999, "过大"),
  }),
  z.object({
    intent: z.literal("external"),
    number: z.string({ error: "请填写文号" }).trim().min(1, "请填写文号").max(100, "文号过长"),
    note: z.string().trim().max(200, "说明过长").optional(),
  }),
  z.object({ intent: z.literal("remove_external"), number: z.string().trim().min(1).max(100) }),
]);

export const meta: MetaFunction = () => [{ title: "发文字号 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "document_number.edit");
  const db = await getDb();
  // the year in China (the server's clock is UTC: on 1 January before 08:00 it was still last year)
  return { counters: await listCounters(db), numbers: await listDocumentNumbers(db), prefixes: templatePrefixes(), thisYear: Number(today().slice(0, 4)) };
}

/** The 文号 prefixes of the letter templates: the series a counter may be set for. */
const templatePrefixes = () => [...new Set([...loadTemplates().values()].map((t) => t.numberPrefix))];

/** The series as the page showed them (hidden `seen`: "prefix|year" → next); a series not shown: null. */
function seenNext(raw: FormDataEntryValue | null, prefix: string, year: number): number | null | undefined {
  if (typeof raw !== "string") return undefined; // a form from before this check
  try {
    const shown = z.record(z.string(), z.number()).parse(JSON.parse(raw));
    return shown[`${prefix}|${year}`] ?? null;
  } catch {
    return undefined;
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "document_number.edit");
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: forms });
  // Which of the two forms answered: its hidden intent (also when the rest is invalid).
  const intent = submission.payload.intent === "external" ? "external" : submission.payload.intent === "remove_external" ? "remove_external" : "next";
  if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
  const f = submission.value;
  if (f.intent === "next" && !templatePrefixes().includes(f.prefix))
    return data({ intent, result: submission.reply({ fieldErrors: { prefix: ["请选择列表中的文号前缀"] } }) }, { status: 400 });
  const db = await getDb();
  try {
    if (f.intent === "next") await db.transaction((tx) => setNextNumber(tx, { ...f, seen: seenNext(form.get("seen"), f.prefix, f.year) }));
    else if (f.intent === "remove_external") await db.transaction((tx) => removeExternalNumber(tx, { number: f.number }));
    else await db.transaction((tx) => registerExternalNumber(tx, { number: f.number, note: f.note || null, actorId: user.id }));
  } catch (e) {
    if (e instanceof WorkflowRefusedError) {
      // An outside number is refused for its own sake (its form, or already used): say so beside it.
      const refusal = f.intent === "external" ? { fieldErrors: { number: [e.message] } } : { formErrors: [e.message] };
      return data({ intent, result: submission.reply(refusal) }, { status: 400 });
    }
    throw e;
  }
  await audit(request, {
    actor: user,
    action: "numbers_changed",
    target: f.intent === "next" ? `${f.prefix}〔${f.year}〕` : f.number,
    detail: f.intent === "next" ? `下一个号设为 ${f.next}` : f.intent === "remove_external" ? "删除登记的系统外文号" : `登记系统外文号${f.note ? `：${f.note}` : ""}`,
  });
  throw redirect(`/admin/numbers?saved=${f.intent}`);
}

export default function Numbers() {
  const { counters, numbers, prefixes, thisYear } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const year = thisYear;
  const [nextForm, next] = useZodForm(forms, { id: "next", lastResult: a?.intent === "next" ? a.result : undefined, defaultValue: { prefix: prefixes[0], year: String(year) } });
  const removeError = a?.intent === "remove_external" ? a.result.error?.[""]?.[0] : undefined;
  const [externalForm, external] = useZodForm(forms, { id: "external", lastResult: a?.intent === "external" ? a.result : undefined });
  return (
    <>
      <PageHeader title="发文字号" subtitle="签发时按年度自动取下一个号。本局其他公文共用同一序列，请在此设定下一个号，或登记系统外已使用的文号（系统会跳过它）。" />
      {params.get("saved") && !a ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已保存。
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Form method="post" {...getFormProps(nextForm)} className="card space-y-3">
          <h2 className="font-semibold">设定下一个号</h2>
          <FormError message={nextForm.errors?.[0]} />
          <input type="hidden" name="intent" value="next" />
          <input type="hidden" name="seen" value={JSON.stringify(Object.fromEntries(counters.map((c) => [`${c.prefix}|${c.year}`, c.next])))} />
          <SelectField label="前缀" name="prefix" defaultValue={next.prefix.initialValue} options={prefixes.map((p) => ({ value: p, label: p }))} error={next.prefix.errors?.[0]} />
          <TextField label="年度" name="year" type="number" defaultValue={next.year.initialValue} error={next.year.errors?.[0]} />
          <TextField label="下一个号" name="next" type="number" defaultValue={next.next.initialValue} error={next.next.errors?.[0]} />
          <button type="submit" className="btn-primary" disabled={busy}>
            保存
          </button>
        </Form>
        <Form method="post" {...getFormProps(externalForm)} className="card space-y-3">
          <h2 className="font-semibold">登记系统外文号</h2>
          <FormError message={externalForm.errors?.[0]} />
          <input type="hidden" name="intent" value="external" />
          <TextField label="文号" name="number" defaultValue={external.number.initialValue} placeholder="东工信函〔2026〕120号" error={external.number.errors?.[0]} />
          <TextField label="说明" name="note" defaultValue={external.note.initialValue} placeholder="如：纸质发文" error={external.note.errors?.[0]} />
          <button type="submit" className="btn-primary" disabled={busy}>
            登记
          </button>
        </Form>
      </div>
      <h2 className="mb-2 mt-6 font-semibold">序列</h2>
      <table className="table-base card p-0">
        <thead>
          <tr>
            <th>前缀</th>
            <th>年度</th>
            <th>下一个号</th>
          </tr>
        </thead>
        <tbody>
          {counters.map((c) => (
            <tr key={`${c.prefix}${c.year}`}>
              <td>{c.prefix}</td>
              <td>{c.year}</td>
              <td>{c.next}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="mb-2 mt-6 font-semibold">已使用的文号</h2>
      <FormError message={removeError} />
      <table className="table-base card p-0">
        <thead>
          <tr>
            <th>文号</th>
            <th>来源</th>
            <th>说明</th>
            <th>
              <span className="sr-only">操作</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {numbers.map((n) => (
            <tr key={n.number}>
              <td>{n.number}</td>
              {/* a letter signed outside and entered here has a letter and the import's note; one signed here has no note */}
              <td>{n.letterId ? (n.note ? "系统外签发，已录入本系统" : "本系统签发") : "系统外"}</td>
              <td>{n.note ?? ""}</td>
              <td>
                {n.letterId ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove_external" />
                    <input type="hidden" name="number" value={n.number} />
                    <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={busy} aria-label={`删除 ${n.number}`}>
                      删除
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
