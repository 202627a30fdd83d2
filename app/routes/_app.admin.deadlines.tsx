/** 期限规则: per batch of 交办 (会议), and whether handlers may read others' proposals. */
import { audit, lastAudited, recordAudit } from "~/models/audit.server";
import { clientAddressOf } from "~/http/client-address";
import { formatTime } from "~/ui/datetime";
import { flashCount } from "~/ui/flash";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { mergeFields } from "~/domain/field-merge";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { deadlineRulesFormSchema, DUE_ON_REST_DAY_LABELS, DUE_ON_REST_DAY_POLICIES, reminderDaysOf, type DeadlineRules as Rules } from "~/domain/deadlines";
import { jsonField } from "~/domain/json-field";
import { listBatches, lockBatch, recomputeDeadlines, setBatchRules } from "~/models/deadline.server";
import { handlersMayReadAll, setHandlersMayReadAll } from "~/models/workflow.server";
import { FocusesFirstError, FormError, SelectField, TextField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { stampOf } from "~/http/stamp.server";
import { PageHeader } from "~/ui/layout";
import { readForm } from "~/http/form.server";

/** The page's other two forms; the rules form is `deadlineRulesFormSchema`. */
const otherForms = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("visibility"), seen: z.enum(["0", "1"]).optional(), handlersReadAll: z.literal("on").optional() }),
  z.object({ intent: z.literal("recompute") }),
]);

export const meta: MetaFunction = () => [{ title: "期限规则 · 提案答复系统" }];

const RULE_FIELDS = ["replyMonths", "coHandlingMonths", "reassignmentWorkingDays", "rehandlingMonths", "reminderDays", "dueOnRestDay"] as const;
type RuleField = (typeof RULE_FIELDS)[number];

/** The rules as the form's fields show them (and as typed values are compared with them). */
const formValues = (r: Rules): Record<RuleField, string> => ({
  replyMonths: String(r.replyMonths),
  coHandlingMonths: String(r.coHandlingMonths),
  reassignmentWorkingDays: String(r.reassignmentWorkingDays),
  rehandlingMonths: String(r.rehandlingMonths ?? 3),
  reminderDays: r.reminderDays.join("、"),
  dueOnRestDay: r.dueOnRestDay,
});
const sameValue = (k: RuleField, a = "", b = "") => (k === "reminderDays" ? reminderDaysOf(a).join("、") === reminderDaysOf(b).join("、") : a.trim() === b.trim());
const openedSchema = jsonField(z.record(z.string(), z.string()));

/** The rules a form was opened with (app/http/stamp.server.ts): "default" until customised. */
const rulesStamp = (b: { rules: unknown; customised: boolean }) => stampOf({ rules: b.customised ? b.rules : "default" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "deadline.rules.edit");
  const db = await getDb();
  const list = await listBatches(db);
  return { batches: list.map((b) => ({ ...b, stamp: rulesStamp(b) })), handlersReadAll: await handlersMayReadAll(db) };
}

type Refusal = { batchId: number | null; result: SubmissionResult<string[]> | null; values: Record<string, string>; visibilityError: string | null };
const refused = (r: Partial<Refusal>, status: number) => data({ batchId: null, result: null, values: {}, visibilityError: null, ...r } satisfies Refusal, { status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "deadline.rules.edit");
  const form = await readForm(request);
  const db = await getDb();
  if (form.get("intent") !== "rules") {
    const other = otherForms.safeParse(Object.fromEntries(form));
    if (!other.success) throw new Response("请求无效。", { status: 400 });
    if (other.data.intent === "recompute") {
      const n = await db.transaction((tx) => recomputeDeadlines(tx, { reason: "管理员重新计算期限", actorId: user.id, answeredInDoubt: true }));
      await audit(request, { actor: user, action: "rules_changed", target: "未答复及期限待核对的提案", detail: `重新计算期限：${n} 件` });
      throw redirect(`/admin/deadlines?recomputed=${n}`);
    }
    // from a page that showed the other setting (a colleague changed it since): refused, not undone unseen
    const now = await handlersMayReadAll(db);
    const { seen, handlersReadAll } = other.data;
    if (seen && seen !== (now ? "1" : "0"))
      return refused(
        {
          visibilityError: `该设置在您打开本页后已被改为“${now ? "允许承办人只读查看所有提案" : "承办人只能查看本人承办的提案"}”，您的修改未保存。页面已显示当前设置，如仍要修改请再次保存。`,
        },
        409,
      );
    await setHandlersMayReadAll(db, handlersReadAll === "on");
    await audit(request, {
      actor: user,
      action: "rules_changed",
      target: "承办人查看范围",
      detail: handlersReadAll === "on" ? "承办人可只读查看全部提案" : "承办人只能查看本人承办的提案",
    });
    throw redirect("/admin/deadlines?saved=visibility");
  }
  const typed = Object.fromEntries([...form].map(([k, v]) => [k, typeof v === "string" ? v : ""]));
  const submission = parseWithZod(form, { schema: deadlineRulesFormSchema });
  if (submission.status !== "success") {
    const batchId = z.coerce.number().int().positive().max(2_147_483_647).safeParse(typed.batchId);
    if (!batchId.success) throw new Response("请求无效。", { status: 400 });
    return refused({ batchId: batchId.data, result: submission.reply(), values: typed }, 400);
  }
  const { batchId, stamp, opened, ...rules } = submission.value;
  // Saved over the rules this admin saw, or not at all (another admin may have just changed them):
  // checked with the batch row locked, so two saves at the same moment take turns.
  const saved = await db.transaction(async (tx) => {
    await lockBatch(tx, batchId);
    const current = (await listBatches(tx)).find((b) => b.id === batchId);
    if (!current) throw new Response("批次不存在。", { status: 404 });
    if (stamp !== rulesStamp(current)) return { conflict: current, n: null };
    const n = await setBatchRules(tx, batchId, rules, user.id);
    // logged with the change, in its transaction: a conflict read right after it names this admin
    // (logged after the commit, it named the one before)
    await recordAudit(tx, {
      actor: user,
      address: clientAddressOf(request),
      action: "rules_changed",
      target: `批次 ${batchId}`,
      detail: `${JSON.stringify(rules)}；重算 ${n} 件期限`,
    });
    return { conflict: null, n };
  });
  if (saved.conflict) {
    // Another admin saved first. Merged as 修改登记信息 merges: what this admin left as opened takes
    // the colleague's value; what both changed keeps this admin's, with the colleague's beside it.
    // The form now carries the new stamp: saving again applies what is on it, knowingly.
    const theirs = formValues(saved.conflict.rules);
    const was = openedSchema.safeParse(opened);
    const { merged, conflicts } = mergeFields(
      RULE_FIELDS,
      { base: was.success ? was.data : null, mine: Object.fromEntries(RULE_FIELDS.map((k) => [k, typed[k] ?? ""])) as Record<RuleField, string>, theirs },
      sameValue,
    );
    const values: Record<string, string> = { ...typed, ...merged, stamp: rulesStamp(saved.conflict), opened: JSON.stringify(theirs) };
    const errors = Object.fromEntries(
      conflicts.map((k) => [k, [`刚被改为：${k === "dueOnRestDay" ? DUE_ON_REST_DAY_LABELS[theirs[k] as keyof typeof DUE_ON_REST_DAY_LABELS] : theirs[k]}`]]),
    );
    const last = await lastAudited(db, { action: "rules_changed", target: `批次 ${batchId}` });
    const who = last ? `${last.actorName ?? "其他管理员"}（${formatTime(last.at)}）` : "其他管理员";
    const formError = `该批次的期限规则刚被${who}修改过，您的修改未保存。${
      Object.keys(errors).length ? "与您填写的不同之处见各项下方；您未改动的项已更新为最新。" : "您未改动的项已更新为最新。"
    }核对后再次保存，将以页面上的为准。`;
    return refused({ batchId, result: submission.reply({ formErrors: [formError], fieldErrors: errors }), values }, 409);
  }
  throw redirect(`/admin/deadlines?recomputed=${saved.n}`);
}

export default function DeadlineRules() {
  const { batches, handlersReadAll } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const visibilityError = actionData?.visibilityError;
  return (
    <>
      <PageHeader
        title="期限规则"
        subtitle="每批交办（会议）可设定自己的办理期限；修改后未答复提案的期限会重新计算并记入各提案的办理历史（已批准的延期保留；若新期限更晚，以较晚者为准）。"
      />
      {flashCount(params, "recomputed") !== null && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已保存，并重新计算了 {flashCount(params, "recomputed")} 件提案的期限。
        </div>
      ) : null}
      {batches.length === 0 ? <p className="text-slate-500">还没有登记任何提案。</p> : null}
      <div className="space-y-4">
        {batches.map((b) => {
          const mine = actionData?.batchId === b.id ? actionData : null;
          // after a refusal, the rules this admin opened (a page shown again must not take newer ones quietly)
          const stamp = mine?.values.stamp ?? b.stamp;
          // keyed on the rules it was opened with: after a conflict the fields show the merged values
          // (an uncontrolled <select>, or a field typed in, keeps its own value on a new default)
          return <BatchRules key={`${b.id}:${stamp}`} batch={b} stamp={stamp} refusal={mine} busy={busy} />;
        })}
      </div>
      <Form method="post" className="card mt-6 space-y-3">
        <h2 className="font-semibold">承办人可见范围</h2>
        <input type="hidden" name="intent" value="visibility" />
        <input type="hidden" name="seen" value={handlersReadAll ? "1" : "0"} />
        {visibilityError ? (
          <p role="alert" className="text-sm text-red-800">
            {visibilityError}
          </p>
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          {/* keyed on the setting: after a refusal the box shows the current one */}
          <input key={String(handlersReadAll)} type="checkbox" name="handlersReadAll" defaultChecked={handlersReadAll} /> 允许承办人只读查看所有提案（默认只能看到分派给自己的提案）
        </label>
        <button type="submit" className="btn-secondary" disabled={busy}>
          保存
        </button>
        {params.get("saved") === "visibility" && !actionData ? <span className="ml-2 text-sm text-green-800">已保存。</span> : null}
      </Form>
      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="recompute" />
        <button type="submit" className="btn-secondary" disabled={busy}>
          按当前日历重新计算所有未答复提案（及期限待核对的已答复提案）的期限
        </button>
      </Form>
    </>
  );
}

type Batch = ReturnType<typeof useLoaderData<typeof loader>>["batches"][number];

/** One batch's rules: checked as typed in the browser, as the action checks them. */
function BatchRules({ batch: b, stamp, refusal, busy }: { batch: Batch; stamp: string; refusal: Refusal | null; busy: boolean }) {
  const [form, fields] = useZodForm(deadlineRulesFormSchema, { id: `rules-${b.id}`, lastResult: refusal?.result ?? undefined });
  const v: Record<string, string> = refusal ? { ...formValues(b.rules), ...refusal.values } : formValues(b.rules);
  // (a wrong reminder day is reported at its place in the list: reminderDays[1])
  const e = (k: RuleField) => fields[k].errors?.[0] ?? Object.values(fields[k].allErrors)[0]?.[0];
  return (
    <Form method="post" {...getFormProps(form)} className="card" aria-label={`${b.meeting}的期限规则`}>
      <h2 className="mb-3 font-semibold">
        {b.meeting}
        <span className="ml-2 text-sm font-normal text-slate-500">
          {b.proposals} 件{b.customised ? "" : " · 使用默认规则"}
        </span>
      </h2>
      <input type="hidden" name="intent" value="rules" />
      <input type="hidden" name="batchId" value={b.id} />
      <input type="hidden" name="stamp" value={stamp} />
      {/* the values this form was opened with: after a conflict, what this admin did not change takes the colleague's */}
      <input type="hidden" name="opened" value={refusal?.values.opened ?? JSON.stringify(formValues(b.rules))} />
      <FormError message={form.errors?.[0]} />
      <FocusesFirstError>
        <div className="grid grid-cols-1 gap-3 md:grid-cols-5">
          <TextField label="答复期限（交办后月数）" name="replyMonths" type="number" defaultValue={v.replyMonths} error={e("replyMonths")} />
          <TextField label="会办意见期限（月）" name="coHandlingMonths" type="number" defaultValue={v.coHandlingMonths} error={e("coHandlingMonths")} />
          <TextField label="申请调整期限（工作日）" name="reassignmentWorkingDays" type="number" defaultValue={v.reassignmentWorkingDays} error={e("reassignmentWorkingDays")} />
          <TextField label="再办理期限（不满意后月数）" name="rehandlingMonths" type="number" defaultValue={v.rehandlingMonths} error={e("rehandlingMonths")} />
          <TextField label="到期前提醒（天，用顿号分隔）" name="reminderDays" defaultValue={v.reminderDays} error={e("reminderDays")} />
          <SelectField
            // two columns: its longest choice was cut to "不调整（到期日即使为休息" in one
            className="md:col-span-2"
            label="到期日遇休息日"
            name="dueOnRestDay"
            defaultValue={v.dueOnRestDay}
            options={DUE_ON_REST_DAY_POLICIES.map((p) => ({ value: p, label: DUE_ON_REST_DAY_LABELS[p] }))}
            error={e("dueOnRestDay")}
          />
        </div>
      </FocusesFirstError>
      <button type="submit" className="btn-primary mt-3" disabled={busy}>
        保存并重新计算期限
      </button>
    </Form>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
