/** 会议: every 会议 with its proposals; a misspelt name corrected for all of them (改名), one 会议 under two names made one (合并). */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { meetingNameProblem } from "~/domain/proposal";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { readForm } from "~/http/form.server";
import { audit } from "~/models/audit.server";
import { listMeetingsForAdmin, MAX_MEETING_LENGTH, MeetingChangeRefused, mergeMeeting, renameMeeting } from "~/models/meeting-admin.server";
import { FormError, SelectField, TextField } from "~/ui/form";
import { flashCount } from "~/ui/flash";
import { PageHeader } from "~/ui/layout";

const id = z.number({ error: "请选择会议" }).int().positive("请选择会议").max(2_147_483_647, "请选择会议");
const forms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("rename"),
    batchId: id,
    seen: z.string().max(500),
    name: z
      .string({ error: "请填写新的会议名称" })
      .trim()
      .min(1, "请填写新的会议名称")
      .max(MAX_MEETING_LENGTH, `会议名称不能超过 ${MAX_MEETING_LENGTH} 个字符`)
      .superRefine((name, ctx) => {
        const problem = meetingNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  }),
  z.object({ intent: z.literal("merge"), batchId: id, seen: z.string().max(500), intoId: id }),
]);

export const meta: MetaFunction = () => [{ title: "会议 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.register");
  return { meetings: await listMeetingsForAdmin(await getDb()) };
}

type Refusal = { batchId: number | null; intent: string; values: Record<string, string>; fieldErrors: Record<string, string>; error: string | null };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: forms });
  const values = Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === "string"));
  const batchId = Number(values.batchId) || null;
  const intent = values.intent === "merge" ? "merge" : "rename";
  if (submission.status !== "success") {
    const fieldErrors = Object.fromEntries(Object.entries(submission.error ?? {}).map(([k, v]) => [k, v?.[0] ?? ""]));
    return data<Refusal>({ batchId, intent, values, fieldErrors, error: fieldErrors.name || fieldErrors.intoId ? null : "请按提示修改后再提交。" }, { status: 400 });
  }
  const f = submission.value;
  const db = await getDb();
  try {
    if (f.intent === "rename") {
      const r = await db.transaction((tx) => renameMeeting(tx, { batchId: f.batchId, seen: f.seen, name: f.name, actorId: user.id }));
      await audit(request, { actor: user, action: "meeting_changed", target: r.from, detail: `改名为“${r.to}”：${r.moved} 件提案` });
      throw redirect(`/admin/meetings?done=rename&n=${r.moved}`);
    }
    const r = await db.transaction((tx) => mergeMeeting(tx, { fromId: f.batchId, seen: f.seen, intoId: f.intoId, actorId: user.id }));
    await audit(request, { actor: user, action: "meeting_changed", target: r.from, detail: `并入“${r.into}”：${r.moved} 件提案` });
    throw redirect(`/admin/meetings?done=merge&n=${r.moved}`);
  } catch (e) {
    if (!(e instanceof MeetingChangeRefused)) throw e;
    const key = e.field === "into" ? "intoId" : e.field;
    return data<Refusal>({ batchId, intent, values, fieldErrors: key ? { [key]: e.message } : {}, error: key ? null : e.message }, { status: 409 });
  }
}

const DONE: Record<string, string> = { rename: "已改名", merge: "已合并" };

export default function Meetings() {
  const { meetings } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const done = params.get("done");
  // a refusal about a 会议 no longer listed (merged or removed meanwhile) has no row to sit in
  const orphan = a?.error && !meetings.some((m) => m.id === a.batchId) ? a.error : null;
  return (
    <>
      <PageHeader title="会议" subtitle="登记时写错的会议名称可在此一次改正；同一会议被登记成两个名称时，可把其中一个的提案并入另一个。每件提案的办理历史都会记下这次更改。" />
      {done && Object.hasOwn(DONE, done) && flashCount(params, "n") !== null && !a ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          {DONE[done]}：{flashCount(params, "n")} 件提案已更新，并已记入各提案的办理历史。
        </div>
      ) : null}
      <FormError message={orphan} />
      {meetings.length === 0 ? <p className="text-slate-500">还没有登记任何提案。</p> : null}
      <ul className="space-y-3">
        {meetings.map((m) => {
          const mine = a && a.batchId === m.id ? a : null;
          const others = meetings.filter((o) => o.id !== m.id);
          return (
            // keyed by the name too: after a rename the field shows the new name, not the typing
            <li key={`${m.id}:${m.meeting}`} className="card">
              <h2 className="font-semibold">{m.meeting}</h2>
              <p className="text-sm text-slate-600">
                {m.proposals} 件提案
                {m.firstAssigned ? `，交办日期 ${m.firstAssigned === m.lastAssigned ? m.firstAssigned : `${m.firstAssigned} 至 ${m.lastAssigned}`}` : ""}
                {m.ownRules ? "，期限规则单独设置" : ""}
              </p>
              <FormError message={mine?.error ?? null} />
              <div className="mt-3 grid grid-cols-1 gap-4 md:grid-cols-2">
                <Form method="post" className="space-y-2" noValidate>
                  <input type="hidden" name="intent" value="rename" />
                  <input type="hidden" name="batchId" value={m.id} />
                  <input type="hidden" name="seen" value={m.meeting} />
                  <TextField
                    label="改名为"
                    name="name"
                    defaultValue={mine?.intent === "rename" ? mine.values.name : m.meeting}
                    error={mine?.intent === "rename" ? mine.fieldErrors.name : undefined}
                  />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    改名
                  </button>
                </Form>
                {others.length ? (
                  <Form method="post" className="space-y-2" noValidate>
                    <input type="hidden" name="intent" value="merge" />
                    <input type="hidden" name="batchId" value={m.id} />
                    <input type="hidden" name="seen" value={m.meeting} />
                    <SelectField
                      label="把本会议的提案并入"
                      name="intoId"
                      placeholder="请选择会议"
                      defaultValue={mine?.intent === "merge" ? mine.values.intoId : ""}
                      options={others.map((o) => ({ value: String(o.id), label: `${o.meeting}（${o.proposals} 件）` }))}
                      error={mine?.intent === "merge" ? mine.fieldErrors.intoId : undefined}
                    />
                    <button type="submit" className="btn-secondary" disabled={busy}>
                      合并
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
