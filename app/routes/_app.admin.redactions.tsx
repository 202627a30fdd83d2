/** 公开隐去规则: text or patterns hidden on the public site (every reply or one 文号), with who and why; the internal letter stays whole. */
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { audit } from "~/models/audit.server";
import { addRedactionRule, listRedactionRules, removeRedactionRule } from "~/models/redaction.server";
import { WorkflowRefusedError } from "~/models/workflow.server";
import { FormError, SelectField, TextField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import { useZodForm } from "~/ui/zod-form";
import { formatTime } from "~/ui/datetime";
import { readForm } from "~/http/form.server";
import { ScrollArea } from "~/ui/scroll-area";

const forms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add"),
    kind: z.enum(["text", "pattern"], { error: "请选择规则类型" }),
    match: z.string({ error: "请填写要隐去的文字或规则" }).min(1, "请填写要隐去的文字或规则").max(200, "规则过长（最多 200 个字符）"),
    documentNumber: z
      .string()
      .trim()
      .max(40, "文号过长")
      .optional()
      .transform((s) => s || null),
    reason: z.string({ error: "请说明隐去的理由" }).trim().min(1, "请说明隐去的理由").max(500, "理由过长"),
  }),
  z.object({ intent: z.literal("remove"), id: z.number().int().positive().max(2_147_483_647) }),
]);

export const meta: MetaFunction = () => [{ title: "公开隐去规则 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "redaction.manage");
  return { rules: await listRedactionRules(await getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "redaction.manage");
  const submission = parseWithZod(await readForm(request), { schema: forms });
  if (submission.status !== "success") return data({ result: submission.reply({ formErrors: ["请按提示修改后再提交。"] }) }, { status: 400 });
  const f = submission.value;
  const db = await getDb();
  try {
    if (f.intent === "add") {
      await db.transaction((tx) => addRedactionRule(tx, { ...f, actor: user }));
      await audit(request, {
        actor: user,
        action: "redaction_changed",
        target: f.documentNumber ?? "全部公开答复",
        detail: `新增${f.kind === "text" ? "文字" : "规则"}“${f.match}”：${f.reason}`,
      });
    } else {
      const r = await db.transaction((tx) => removeRedactionRule(tx, { id: f.id, actor: user }));
      await audit(request, { actor: user, action: "redaction_changed", target: "公开隐去规则", detail: `删除“${r.match}”` });
    }
  } catch (e) {
    if (e instanceof WorkflowRefusedError) {
      const refusal = f.intent === "add" ? { formErrors: ["请按提示修改后再提交。"], fieldErrors: { [e.field ?? "match"]: [e.message] } } : { formErrors: [e.message] };
      return data({ result: submission.reply(refusal) }, { status: 400 });
    }
    throw e;
  }
  throw redirect(`/admin/redactions?saved=${f.intent}`);
}

const when = (d: string | Date) => formatTime(d, "short");

export default function Redactions() {
  const { rules } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useZodForm(forms, { id: "redaction-add", lastResult: actionData?.result, defaultValue: { kind: "text" } });
  return (
    <>
      <PageHeader title="公开隐去规则" subtitle="在公开网站的所有形式（页面、订阅、开放数据、Word 下载、检索）中以“■”隐去；内部答复函保持原样。" />
      {params.get("saved") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          {params.get("saved") === "add" ? "已新增规则，公开网站立即生效。" : "已删除规则（记录保留）。"}
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card mb-5 grid grid-cols-1 gap-3 md:grid-cols-2" aria-label="新增隐去规则">
        <input type="hidden" name="intent" value="add" />
        <div className="md:col-span-2">
          <FormError message={form.errors?.[0]} />
        </div>
        <SelectField
          label="类型"
          name="kind"
          defaultValue={fields.kind.initialValue}
          error={fields.kind.errors?.[0]}
          options={[
            { value: "text", label: "精确文字" },
            { value: "pattern", label: "正则表达式（如 91[0-9A-Z]{16} 统一社会信用代码；不支持向前、向后查找）" },
          ]}
        />
        <TextField label="要隐去的文字或规则" name="match" defaultValue={fields.match.initialValue} error={fields.match.errors?.[0]} required />
        <TextField
          label="适用文号"
          name="documentNumber"
          defaultValue={fields.documentNumber.initialValue}
          error={fields.documentNumber.errors?.[0]}
          hint="留空则适用于全部公开答复；填写文号（如 东工信函〔2021〕108号）则适用于该提案的各次公开答复"
        />
        <TextField label="理由" name="reason" defaultValue={fields.reason.initialValue} error={fields.reason.errors?.[0]} hint="如：涉及企业商业信息" required />
        <div className="md:col-span-2">
          <button type="submit" className="btn-primary" disabled={busy}>
            新增规则
          </button>
        </div>
      </Form>
      <ScrollArea label="公开隐去规则（表格）" className="card p-0">
        <table className="table-base text-sm">
          <thead>
            <tr>
              <th>规则</th>
              <th>适用</th>
              <th>理由</th>
              <th>设定</th>
              <th>状态</th>
              <th>
                <span className="sr-only">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? (
              <tr>
                <td colSpan={6} className="text-slate-500">
                  暂无规则。〖〗标出的文字和个人联系方式始终在公开版本中隐去。
                </td>
              </tr>
            ) : (
              rules.map((r) => (
                <tr key={r.id}>
                  <td>
                    <code>{r.match}</code>
                    <span className="ml-1 text-xs text-slate-500">{r.kind === "text" ? "文字" : "正则"}</span>
                    {r.legacy ? <p className="mt-1 text-xs text-amber-700">旧写法（向前/向后查找或反向引用）：仍然生效，但可能拖慢公开网站。请改写成新规则后删除此条。</p> : null}
                  </td>
                  <td>{r.documentNumber ?? "全部公开答复"}</td>
                  <td>{r.reason}</td>
                  <td className="whitespace-nowrap">
                    {r.createdBy ?? "—"} · {when(r.createdAt)}
                  </td>
                  <td>{r.removedAt ? <StateBadge label={`已删除（${r.removedBy ?? "—"}）`} tone="red" /> : <StateBadge label="生效" tone="green" />}</td>
                  <td>
                    {r.removedAt ? null : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" className="btn-secondary text-xs" disabled={busy}>
                          删除
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollArea>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
