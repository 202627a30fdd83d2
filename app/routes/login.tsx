import { audit, auditedSince } from "~/models/audit.server";
import { getDb } from "#db/client.server";
import { clientAddressOf } from "~/http/client-address";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { getOptionalUser, signIn } from "~/auth/session.server";
import { signInSchema } from "~/domain/user-input";
import { FormError, TextField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { readForm } from "~/http/form.server";

export const meta: MetaFunction = () => [{ title: "登录 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: signInSchema });
  // a password typed is never sent back into the page
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const signing = submission.value;
  const result = await signIn({ ...signing, address: context.clientAddress ?? "unknown", userAgent: request.headers.get("user-agent") });
  if (!result.ok) {
    // Refusals by a limit already in force are logged once a minute per address: a script that
    // keeps trying from a locked address would otherwise write a row per request.
    const flood =
      result.throttled &&
      (await auditedSince(await getDb(), { action: "sign_in_failed", address: clientAddressOf(request), since: new Date(Date.now() - 60_000), detailPrefix: "登录失败次数过多" }));
    if (!flood) await audit(request, { action: "sign_in_failed", target: signing.username, detail: result.error });
    return data({ result: submission.reply({ formErrors: [result.error], hideFields: ["password"] }) }, { status: 400 });
  }
  await audit(request, { actor: result.user, action: "sign_in", target: signing.username });
  throw redirect(result.redirectTo, { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useZodForm(signInSchema, { id: "sign-in", lastResult: actionData?.result });
  return (
    <main className="mx-auto mt-20 max-w-sm px-4">
      <div className="mb-6 text-center">
        <div className="text-lg font-semibold text-red-700">东莞市工业和信息化局</div>
        <h1 className="mt-1 text-2xl font-semibold">提案答复系统</h1>
      </div>
      <Form method="post" {...getFormProps(form)} className="card space-y-4">
        <FormError message={form.errors?.[0]} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField label="用户名" name="username" autoComplete="username" defaultValue={fields.username.initialValue} error={fields.username.errors?.[0]} autoFocus required />
        <TextField label="密码" name="password" type="password" autoComplete="current-password" error={fields.password.errors?.[0]} required />
        <button type="submit" className="btn-primary w-full justify-center" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
      <p className="mt-6 text-center text-sm">
        <a href="/public">答复公开</a>
        <span className="block text-slate-500">无需登录：查阅我局已公开的政协提案答复</span>
      </p>
    </main>
  );
}
