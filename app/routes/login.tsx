import { audit, auditedSince } from "~/models/audit.server";
import { getDb } from "#db/client.server";
import { clientAddressOf } from "~/http/client-address";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getOptionalUser, signIn } from "~/auth/session.server";
import { fieldErrors } from "~/domain/proposal";
import { FormError, TextField } from "~/ui/form";
import { readForm } from "~/http/form.server";

const signInSchema = z.object({
  username: z.string().trim().min(1, "请填写用户名").max(40, "用户名过长"),
  password: z.string().min(1, "请填写密码").max(200, "密码过长"),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = () => [{ title: "登录 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const parsed = signInSchema.safeParse(form);
  const username = typeof form.username === "string" ? form.username : "";
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), formError: null, username }, { status: 400 });
  const result = await signIn({ ...parsed.data, address: context.clientAddress ?? "unknown", userAgent: request.headers.get("user-agent") });
  if (!result.ok) {
    // Refusals by a limit already in force are logged once a minute per address: a script that
    // keeps trying from a locked address would otherwise write a row per request.
    const flood =
      result.throttled &&
      (await auditedSince(await getDb(), { action: "sign_in_failed", address: clientAddressOf(request), since: new Date(Date.now() - 60_000), detailPrefix: "登录失败次数过多" }));
    if (!flood) await audit(request, { action: "sign_in_failed", target: parsed.data.username, detail: result.error });
    return data({ errors: {} as Record<string, string>, formError: result.error, username }, { status: 400 });
  }
  await audit(request, { actor: result.user, action: "sign_in", target: parsed.data.username });
  throw redirect(result.redirectTo, { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <main className="mx-auto mt-20 max-w-sm px-4">
      <div className="mb-6 text-center">
        <div className="text-lg font-semibold text-red-700">东莞市工业和信息化局</div>
        <h1 className="mt-1 text-2xl font-semibold">提案答复系统</h1>
      </div>
      <Form method="post" className="card space-y-4" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField label="用户名" name="username" autoComplete="username" defaultValue={actionData?.username} error={actionData?.errors.username} autoFocus required />
        <TextField label="密码" name="password" type="password" autoComplete="current-password" error={actionData?.errors.password} required />
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
