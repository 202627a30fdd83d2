import { today } from "~/models/deadline.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { cleanText } from "~/domain/proposal";
import { formValuesOf, readProposalForm } from "~/models/proposal-form.server";
import { DuplicateProposalError, getProposal, isDuplicateNumberViolation, listMeetings, updateProposal, VersionConflictError } from "~/models/proposal.server";
import { FormError, TextField } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { ProposalFields } from "~/ui/proposal-form";

const idSchema = z.coerce.number().int().positive();
const metaSchema = z.object({
  version: z.coerce.number().int().positive(),
  comment: z.string().max(500, "说明不能超过 500 个字符").transform(cleanText),
});

export const meta: MetaFunction = () => [{ title: "修改登记信息 · 提案答复系统" }];

async function load(id: string | undefined) {
  const parsed = idSchema.safeParse(id);
  const db = await getDb();
  const proposal = parsed.success ? await getProposal(db, parsed.data) : null;
  if (!proposal) throw new Response("提案不存在。", { status: 404 });
  return { db, proposal };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.register");
  const { db, proposal } = await load(params.id);
  return { proposal: { id: proposal.id, number: proposal.number, version: proposal.version }, values: formValuesOf(proposal), meetings: await listMeetings(db) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const { db, proposal } = await load(params.id);
  const form = await request.formData();
  const result = readProposalForm(form, today());
  const m = metaSchema.safeParse({ version: form.get("version"), comment: form.get("comment") ?? "" });
  const comment = typeof form.get("comment") === "string" ? String(form.get("comment")) : "";
  if (!m.success)
    return data({ values: result.values, comment, errors: { comment: m.error.issues[0].message } as Record<string, string>, formError: null as string | null }, { status: 400 });
  if (!result.ok) return data({ values: result.values, comment, errors: result.errors, formError: "请按提示修改标红的内容后再保存。" }, { status: 400 });
  try {
    const r = await db.transaction((tx) =>
      updateProposal(tx, { id: proposal.id, expectedVersion: m.data.version, input: result.input, actorId: user.id, comment: m.data.comment || null }),
    );
    if (r.extensionSuperseded) throw redirect(`/proposals/${proposal.id}?saved=1&superseded=${r.extensionSuperseded.extendedDue}_${r.extensionSuperseded.due}`);
  } catch (e) {
    if (e instanceof VersionConflictError) return data({ values: result.values, comment, errors: {} as Record<string, string>, formError: e.message }, { status: 409 });
    if (e instanceof DuplicateProposalError || isDuplicateNumberViolation(e))
      return data({ values: result.values, comment, errors: { number: "该会议下已有相同提案号的提案。" } as Record<string, string>, formError: null }, { status: 400 });
    throw e;
  }
  throw redirect(`/proposals/${proposal.id}?saved=1`);
}

export default function EditProposal() {
  const { proposal, values, meetings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title={`修改登记信息：第${proposal.number}号提案`} subtitle="每次修改都会记入办理历史（修改前 → 修改后）。" />
      <Form method="post" className="card space-y-5" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="version" value={proposal.version} />
        <ProposalFields values={actionData?.values ?? values} errors={actionData?.errors} meetings={meetings} />
        <TextField label="修改说明" name="comment" defaultValue={actionData?.comment} error={actionData?.errors.comment} hint="可选，例如：按交办单位更正提案号" />
        <div className="flex gap-2">
          <button type="submit" className="btn-primary" disabled={busy}>
            保存
          </button>
          <Link to={`/proposals/${proposal.id}`} className="btn-secondary">
            取消
          </Link>
        </div>
      </Form>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
