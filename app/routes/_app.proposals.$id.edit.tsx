import { today } from "~/models/deadline.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { proposalEditSchema } from "~/domain/proposal-form";
import { formValuesOf } from "~/models/proposal-form.server";
import { DuplicateProposalError, getProposal, isUniqueViolation, listMeetings, updateProposal, VersionConflictError } from "~/models/proposal.server";
import { FormError, TextField } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { ProposalFields } from "~/ui/proposal-form";
import { useZodForm } from "~/ui/zod-form";
import { recordId } from "~/domain/query-params";
import { readForm } from "~/http/form.server";

const idSchema = recordId;

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
  return {
    proposal: { id: proposal.id, number: proposal.number, version: proposal.version },
    values: formValuesOf(proposal),
    meetings: await listMeetings(db),
    today: today(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const { db, proposal } = await load(params.id);
  const submission = parseWithZod(await readForm(request), { schema: proposalEditSchema(today()) });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { input, version, comment } = submission.value;
  try {
    const r = await db.transaction((tx) => updateProposal(tx, { id: proposal.id, expectedVersion: version, input, actorId: user.id, comment }));
    if (r.extensionSuperseded) throw redirect(`/proposals/${proposal.id}?saved=1&superseded=${r.extensionSuperseded.extendedDue}_${r.extensionSuperseded.due}`);
  } catch (e) {
    if (e instanceof VersionConflictError) return data({ result: submission.reply({ formErrors: [e.message] }) }, { status: 409 });
    if (e instanceof DuplicateProposalError || isUniqueViolation(e))
      return data({ result: submission.reply({ fieldErrors: { number: ["该会议下已有相同提案号的提案。"] } }) }, { status: 400 });
    throw e;
  }
  throw redirect(`/proposals/${proposal.id}?saved=1`);
}

export default function EditProposal() {
  const { proposal, values, meetings, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useZodForm(proposalEditSchema(today), { lastResult: actionData?.result, defaultValue: values });
  const hasErrors = Object.values(form.allErrors).some((list) => list.length > 0);
  return (
    <>
      <PageHeader title={`修改登记信息：第${proposal.number}号提案`} subtitle="每次修改都会记入办理历史（修改前 → 修改后）。" />
      <Form method="post" {...getFormProps(form)} className="card space-y-5">
        <FormError message={form.errors?.[0] ?? (hasErrors ? "请按提示修改标红的内容后再保存。" : null)} />
        {/* after a refusal, the version the form was opened at: a page shown again (without JavaScript, from fresh data) must not take a newer one quietly */}
        <input type="hidden" name="version" value={(actionData ? fields.version.initialValue : undefined) ?? proposal.version} />
        <ProposalFields fields={fields} meetings={meetings} />
        <TextField label="修改说明" name="comment" defaultValue={fields.comment.initialValue} error={fields.comment.errors?.[0]} hint="可选，例如：按交办单位更正提案号" />
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
