import { today } from "~/models/deadline.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { mergeProposalEdits, proposalEditSchema } from "~/domain/proposal-form";
import { FIELD_LABELS } from "~/domain/proposal";
import { z } from "zod";
import { formValuesOf } from "~/models/proposal-form.server";
import { DuplicateProposalError, getProposal, listMeetings, ProposalFieldError, updateProposal, VersionConflictError } from "~/models/proposal.server";
import { isUniqueViolation } from "#db/errors";
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

/** The values the page was opened with (hidden `base`), for merging with a colleague's save. */
const baseSchema = z.record(z.string(), z.string());

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const { db, proposal } = await load(params.id);
  const form = await readForm(request);
  const schema = proposalEditSchema(today());
  let submission = parseWithZod(form, { schema });
  const sentBase = typeof form.get("base") === "string" ? String(form.get("base")) : "";
  // the version the page was opened at, kept through refusals (revalidated data must not replace it)
  const sentVersion = Number(form.get("version")) || null;
  if (submission.status !== "success") return data({ result: submission.reply(), base: sentBase, version: sentVersion }, { status: 400 });
  let { input, version, comment } = submission.value;
  if (version !== proposal.version) {
    // Saved meanwhile by someone else: what only they changed is kept, what only this user changed
    // is saved; a field both changed is shown beside it, and the page now holds their version.
    const base = (() => {
      try {
        return baseSchema.parse(JSON.parse(sentBase));
      } catch {
        return null;
      }
    })();
    if (!base) return data({ result: submission.reply({ formErrors: [new VersionConflictError().message] }), base: sentBase, version: sentVersion }, { status: 409 });
    const theirs = formValuesOf(proposal);
    const { merged, conflicts } = mergeProposalEdits({ base, mine: submission.payload, theirs });
    const rebased = parseWithZod(new URLSearchParams({ ...(merged as Record<string, string>), version: String(proposal.version) }), { schema });
    if (conflicts.length || rebased.status !== "success") {
      const labels = conflicts.map((k) => FIELD_LABELS[k] ?? k).join("、");
      return data(
        {
          result: rebased.reply({
            formErrors: [
              conflicts.length
                ? `该提案刚被其他人修改，${labels}与您填写的不同（见各项下方）；其他人改过、您未改的项已更新为最新。核对后再次保存，将以您填写的为准。`
                : "该提案刚被其他人修改，页面已按最新内容合并您的修改，请核对后再保存。",
            ],
            fieldErrors: Object.fromEntries(conflicts.map((k) => [k, [`刚被其他人改为：${theirs[k] || "（空）"}`]])),
          }),
          base: JSON.stringify(theirs),
          version: proposal.version,
          // with JavaScript the fields keep what was typed: these are set to their value on the page
          updated: Object.fromEntries(Object.entries(merged).filter(([k, v]) => k in theirs && !conflicts.includes(k as never) && v !== submission.payload[k])) as Record<
            string,
            string
          >,
        },
        { status: 409 },
      );
    }
    submission = rebased;
    ({ input, version, comment } = rebased.value);
  }
  try {
    const r = await db.transaction((tx) => updateProposal(tx, { id: proposal.id, expectedVersion: version, input, actorId: user.id, comment }));
    if (r.extensionSuperseded) throw redirect(`/proposals/${proposal.id}?saved=1&superseded=${r.extensionSuperseded.extendedDue}_${r.extensionSuperseded.due}`);
  } catch (e) {
    // saved by someone at the same moment (the merge above saw the version before theirs): the page
    // keeps the typing and its version, so saving again merges with theirs — refreshing would lose it
    if (e instanceof VersionConflictError)
      return data(
        {
          result: submission.reply({ formErrors: ["该提案刚被其他人修改，您的修改尚未保存（仍在页面上）。请再点一次“保存”：将与最新内容合并，并指出不同之处。"] }),
          base: sentBase,
          version: sentVersion,
        },
        { status: 409 },
      );
    if (e instanceof ProposalFieldError)
      return data({ result: submission.reply({ fieldErrors: { [e.field]: [e.message] } }), base: sentBase, version: sentVersion }, { status: 400 });
    if (e instanceof DuplicateProposalError || isUniqueViolation(e))
      return data({ result: submission.reply({ fieldErrors: { number: ["该会议下已有相同提案号的提案。"] } }), base: sentBase, version: sentVersion }, { status: 400 });
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
  // A colleague's save merged in: the fields only they changed take their value on the page too
  // (without JavaScript the page is drawn with them).
  useEffect(() => {
    const updated = actionData && "updated" in actionData ? actionData.updated : null;
    const el = document.getElementById(form.id) as HTMLFormElement | null;
    if (!updated || !el) return;
    for (const [name, value] of Object.entries(updated)) {
      const field = el.elements.namedItem(name) as HTMLInputElement | RadioNodeList | null;
      if (field) field.value = value;
    }
  }, [actionData, form.id]);
  return (
    <>
      <PageHeader title={`修改登记信息：第${proposal.number}号提案`} subtitle="每次修改都会记入办理历史（修改前 → 修改后）。" />
      <Form method="post" {...getFormProps(form)} className="card space-y-5">
        <FormError message={form.errors?.[0] ?? (hasErrors ? "请按提示修改标红的内容后再保存。" : null)} />
        {/* after a refusal, the version the form was opened at: a page shown again (without JavaScript, from fresh data) must not take a newer one quietly */}
        <input type="hidden" name="version" value={(actionData && "version" in actionData ? actionData.version : null) ?? proposal.version} />
        <input type="hidden" name="base" value={actionData?.base || JSON.stringify(values)} />
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
