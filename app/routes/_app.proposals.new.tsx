import { today } from "~/models/deadline.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { proposalFormSchema } from "~/domain/proposal-form";
import { DuplicateProposalError, listMeetings, registerProposal } from "~/models/proposal.server";
import { isUniqueViolation } from "#db/errors";
import { ALLOWED_UPLOADS, UPLOAD_ACCEPT } from "~/domain/uploads";
import { readMultipartForm, readUpload } from "~/models/upload.server";
import { FileField, FormError } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { ProposalFields } from "~/ui/proposal-form";
import { useZodForm } from "~/ui/zod-form";
import { config } from "~/config.server";

export const meta: MetaFunction = () => [{ title: "登记提案 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.register");
  return { meetings: await listMeetings(await getDb()), today: today(), maxUploadMb: config().MAX_UPLOAD_MB };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.register");
  const { form, tooLarge } = await readMultipartForm(request);
  const submission = parseWithZod(form, { schema: proposalFormSchema(today()) });
  // The original is checked beside the fields (the browser cannot check its type or size), and both are named at once.
  const upload = tooLarge ? { file: null, error: `文件过大，上限为 ${config().MAX_UPLOAD_MB} MB。` } : await readUpload(form.get("file"));
  // A browser cannot keep a chosen file across a refusal: say so beside the field, or the proposal
  // would be registered without its original unnoticed.
  const chooseAgain = upload.file ? [`所选文件“${upload.file.fileName}”未保存（登记未完成）：请重新选择后再登记。`] : undefined;
  const fileError = upload.error ? { fieldErrors: { file: [upload.error] } } : chooseAgain ? { fieldErrors: { file: chooseAgain } } : undefined;
  if (submission.status !== "success" || upload.error) return data({ result: submission.reply(fileError) }, { status: 400 });
  const input = submission.value;

  const db = await getDb();
  try {
    const id = await db.transaction((tx) => registerProposal(tx, { input, actorId: user.id, file: upload.file }));
    throw redirect(`/proposals/${id}?registered=1`);
  } catch (e) {
    if (e instanceof DuplicateProposalError || isUniqueViolation(e)) {
      const message = e instanceof DuplicateProposalError ? e.message : `${input.meeting}第${input.number}号提案已经登记，不能重复登记。`;
      return data({ result: submission.reply({ fieldErrors: { number: [message], ...(chooseAgain ? { file: chooseAgain } : {}) } }) }, { status: 400 });
    }
    throw e;
  }
}

export default function NewProposal() {
  const { meetings, today, maxUploadMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useZodForm(proposalFormSchema(today), { lastResult: actionData?.result });
  const hasErrors = Object.values(form.allErrors).some((list) => list.length > 0);
  return (
    <>
      <PageHeader title="登记提案" subtitle="带 * 的为必填项。" />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card space-y-5">
        <FormError message={form.errors?.[0] ?? (hasErrors ? "请按提示修改标红的内容后再提交。" : null)} />
        <ProposalFields fields={fields} meetings={meetings} />
        <FileField label="提案原件" name="file" accept={UPLOAD_ACCEPT} error={fields.file.errors?.[0]} hint={`可选；${ALLOWED_UPLOADS}，不超过 ${maxUploadMb} MB`} />
        <div className="flex gap-2">
          <button type="submit" className="btn-primary" disabled={busy}>
            {busy ? "正在登记…" : "登记"}
          </button>
          <Link to="/proposals" className="btn-secondary">
            取消
          </Link>
        </div>
      </Form>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
