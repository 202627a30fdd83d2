/** 个人设置: change one's own password (the current one required), e-mail for notices, see one's sessions, sign out the others. */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { endOtherSessionsOf } from "~/auth/lucia.server";
import type { SessionUser } from "~/auth/lucia.server";
import { currentSessionId, requireUser } from "~/auth/session.server";
import { audit } from "~/models/audit.server";
import { clientAddressOf } from "~/http/client-address";
import { releaseAttempt, reserveAttempt } from "~/auth/throttle.server";
import { emailChangeSchema, passwordChangeSchema } from "~/domain/user-input";
import { changeOwnPassword, checkOwnPassword, getUser, listSessionsOf, setEmailIfChanged, WrongPasswordError } from "~/models/user.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormError, TextField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { flashCount } from "~/ui/flash";
import { PageHeader } from "~/ui/layout";
import { formatTime } from "~/ui/datetime";
import { readForm } from "~/http/form.server";
import { lastRefusedEmail } from "~/models/notification.server";

export const meta: MetaFunction = () => [{ title: "个人设置 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = await currentSessionId(request);
  const db = await getDb();
  const sessions = (await listSessionsOf(db, user.id)).map(({ id, ...s }) => ({ ...s, current: id === current }));
  const [me, refused] = await Promise.all([getUser(db, user.id), lastRefusedEmail(db, user.id)]);
  return {
    user: { username: user.username, displayName: user.displayName, email: me?.email ?? "", mustChangePassword: Boolean(user.mustChangePassword) },
    sessions,
    refused: refused && me?.email ? { at: refused.at, error: refused.error } : null,
  };
}

/**
 * Runs `step`, which checks the user's own password (WrongPasswordError), under the sign-in's own
 * limits: a session left open must not become a way to guess it without end (then change it and
 * lock the owner out). A wrong password is recorded as a failed sign-in is. Returns the refusal to
 * show beside the password field, or null when `step` went through.
 */
async function passwordChecked(request: Request, user: SessionUser, step: () => Promise<unknown>, failedDetail: string): Promise<{ message: string; status: number } | null> {
  const db = await getDb();
  const address = clientAddressOf(request);
  const minutes = await reserveAttempt(db, user.username, address);
  if (minutes > 0) return { message: `当前密码错误次数过多，请 ${minutes} 分钟后再试。`, status: 429 };
  try {
    await step();
  } catch (e) {
    if (!(e instanceof WrongPasswordError)) throw e;
    await audit(request, { actor: user, action: "password_change_failed", detail: failedDetail });
    return { message: e.message, status: 400 };
  }
  await releaseAttempt(db, user.username, address);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const form = Object.fromEntries(formData);
  const db = await getDb();
  const keep = await currentSessionId(request);
  if (form.intent === "email") {
    const submission = parseWithZod(formData, { schema: emailChangeSchema });
    const refuse = (fieldErrors: Record<string, string[]>, status = 400) => data({ email: submission.reply({ fieldErrors, hideFields: ["emailPassword"] }) }, { status });
    if (submission.status !== "success") return data({ email: submission.reply({ hideFields: ["emailPassword"] }) }, { status: 400 });
    const { email, seenEmail, emailPassword } = submission.value;
    const me = await getUser(db, user.id);
    if ((me?.email ?? null) === email) throw redirect("/account?email=1");
    // Changed since this page was opened (by an admin in 用户管理, or in another window): said, not
    // silently replaced; the page now shows the address in force, and saving again replaces it knowingly.
    if (seenEmail !== (me?.email ?? ""))
      return refuse({ email: [`通知邮箱在您打开本页后已改为 ${me?.email || "（空）"}（可能由管理员修改）。如仍要改为您填写的地址，请再次保存。`] }, 409);
    // Notices (proposal numbers, return comments) go to this address: someone at an open session
    // must not redirect them, so the password is asked, under the sign-in's limits.
    if (!emailPassword) return refuse({ emailPassword: ["请输入登录密码，以确认更改通知邮箱"] });
    const refused = await passwordChecked(request, user, () => checkOwnPassword(db, user.id, emailPassword), "更改通知邮箱时当前密码不正确");
    if (refused) return refuse({ emailPassword: [refused.message] }, refused.status);
    await setEmailIfChanged(db, user.id, email);
    await audit(request, { actor: user, action: "user_updated", target: user.username, detail: email ? "设置通知邮箱" : "清除通知邮箱" });
    throw redirect("/account?email=1");
  }
  if (form.intent === "end_others") {
    const n = await endOtherSessionsOf(user.id, keep);
    await audit(request, { actor: user, action: "sessions_ended", detail: `退出 ${n} 个其他会话` });
    throw redirect(`/account?ended=${n}`);
  }
  // 修改密码, a conform form: a password typed is never sent back into it
  const submission = parseWithZod(formData, { schema: passwordChangeSchema });
  const hideFields = ["current", "next", "confirm"];
  if (submission.status !== "success") return data({ password: submission.reply({ formErrors: ["请按提示修改后再提交。"], hideFields }) }, { status: 400 });
  const { current, next } = submission.value;
  const refused = await passwordChecked(request, user, () => db.transaction((tx) => changeOwnPassword(tx, { userId: user.id, current, next })), "当前密码不正确");
  if (refused)
    return data({ password: submission.reply({ formErrors: ["请按提示修改后再提交。"], fieldErrors: { current: [refused.message] }, hideFields }) }, { status: refused.status });
  // A new password ends every other session: whoever knew the old one is signed out.
  const n = await endOtherSessionsOf(user.id, keep);
  await audit(request, { actor: user, action: "password_changed", detail: n ? `同时退出 ${n} 个其他会话` : null });
  throw redirect("/account?changed=1");
}

const when = (d: string | Date | null) => formatTime(d, "second");

/** "Chrome 浏览器（Linux）" from a user agent, enough to recognise one's own device. */
function device(ua: string | null) {
  if (!ua) return "未知设备";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "浏览器";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return `${browser}${os ? `（${os}）` : ""}`;
}

export default function Account() {
  const { user, sessions, refused } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [pwForm, pw] = useZodForm(passwordChangeSchema, { id: "password-change", lastResult: actionData && "password" in actionData ? actionData.password : undefined });
  const emailResult = actionData && "email" in actionData ? actionData.email : undefined;
  const [mailForm, mail] = useZodForm(emailChangeSchema, { id: "email-change", lastResult: emailResult });
  return (
    <>
      <PageHeader title="个人设置" subtitle={`${user.displayName}（${user.username}）`} />
      {user.mustChangePassword ? (
        <p role="alert" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          管理员为您设置了临时密码。请先设置您自己的新密码，然后才能继续使用系统。
        </p>
      ) : null}
      {params.get("changed") ? (
        <p role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          密码已修改。其他设备上的登录已退出。
        </p>
      ) : null}
      {params.get("email") ? (
        <p role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          通知邮箱已保存。此后产生的通知会同时发到该邮箱（之前的通知不补发）。
        </p>
      ) : null}
      {flashCount(params, "ended") !== null ? (
        <p role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已退出 {flashCount(params, "ended")} 个其他会话。
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
        <Form method="post" {...getFormProps(pwForm)} className="card space-y-3" aria-label="修改密码">
          <h2 className="font-semibold">修改密码</h2>
          <FormError message={pwForm.errors?.[0]} />
          <TextField label="当前密码" name="current" type="password" autoComplete="current-password" error={pw.current?.errors?.[0]} required autoFocus />
          <TextField label="新密码" name="next" type="password" autoComplete="new-password" error={pw.next?.errors?.[0]} hint="至少 10 个字符" required />
          <TextField label="再次输入新密码" name="confirm" type="password" autoComplete="new-password" error={pw.confirm?.errors?.[0]} required />
          <button type="submit" className="btn-primary" disabled={busy}>
            修改密码
          </button>
        </Form>
        <Form method="post" {...getFormProps(mailForm)} className="card space-y-3" aria-label="通知邮箱">
          <h2 className="font-semibold">通知邮箱</h2>
          <input type="hidden" name="intent" value="email" />
          {/* after a refusal for a change made meanwhile, the address now in force is the one seen */}
          <input type="hidden" name="seenEmail" value={user.email} />
          <TextField
            label="电子邮箱"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={emailResult ? String(mail.email.initialValue ?? "") : user.email}
            error={mail.email.errors?.[0]}
            hint="系统配置了邮件服务器时，待办和提醒同时发到此邮箱；留空则只在系统内通知"
          />
          <TextField
            label="登录密码"
            name="emailPassword"
            type="password"
            autoComplete="current-password"
            error={mail.emailPassword.errors?.[0]}
            hint="更改邮箱须输入您的登录密码确认"
          />
          {refused ? (
            <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              邮件服务器拒收了发往该邮箱的通知（{formatTime(refused.at, "monthDay")}
              {refused.error ? `：${refused.error}` : ""}），此后的通知仍会尝试发送。请核对邮箱地址。
            </p>
          ) : null}
          <button type="submit" className="btn-secondary" disabled={busy}>
            保存邮箱
          </button>
        </Form>
        <section className="card space-y-3" aria-label="登录会话">
          <h2 className="font-semibold">登录会话</h2>
          <ul className="space-y-2 text-sm">
            {sessions.map((s, i) => (
              <li key={i} className="rounded border border-slate-200 p-2">
                <div className="font-medium">
                  {device(s.userAgent)}
                  {s.current ? <span className="ml-2 rounded bg-green-100 px-1 text-xs text-green-800">当前</span> : null}
                </div>
                <div className="text-xs text-slate-600">
                  登录于 {when(s.createdAt)} · 地址 {s.address ?? "未知"} · 有效至 {when(s.expiresAt)}
                </div>
              </li>
            ))}
          </ul>
          <Form method="post">
            <input type="hidden" name="intent" value="end_others" />
            <button type="submit" className="btn-secondary" disabled={busy || sessions.length < 2}>
              退出其他所有会话
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
