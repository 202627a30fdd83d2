import { audit } from "~/models/audit.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { endAllSessionsOf } from "~/auth/lucia.server";
import { accountLockedUntil, clearAccountLocks } from "~/auth/throttle.server";
import { formatTime } from "~/ui/datetime";
import { requirePermission } from "~/auth/session.server";
import { may } from "~/domain/permissions";
import { ROLE_LABELS, type Role } from "~/domain/roles";
import { accountFormValues, mergeAccountEdits, openedAccountValues, userUpdateSchema, type AccountFormValues } from "~/domain/user-input";
import { getUser, HandlerHasProposalsError, LastAdminError, openProposalsOf, updateUserChecked, UserChangedError } from "~/models/user.server";
import { stampOf } from "~/http/stamp.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormError, TextField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { AccountFields } from "~/ui/account-fields";
import { PageHeader } from "~/ui/layout";
import { readForm } from "~/http/form.server";

export const meta: MetaFunction = () => [{ title: "修改用户 · 提案答复系统" }];

async function load(id: string | undefined) {
  const user = id ? await getUser(await getDb(), id) : null;
  if (!user) throw new Response("用户不存在。", { status: 404 });
  return user;
}

/** What this form edits, as the stamp sees it (app/http/stamp.server.ts). */
const editable = (u: { displayName: string; role: string; phone: string | null; email: string | null; disabled: boolean }) =>
  stampOf({ displayName: u.displayName, role: u.role, phone: u.phone ?? null, email: u.email ?? null, disabled: u.disabled });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requirePermission(request, "user.manage");
  const user = await load(params.id);
  const db = await getDb();
  const [lockedUntil, stranded] = await Promise.all([accountLockedUntil(db, user.username), user.disabled ? openProposalsOf(db, user.id) : null]);
  return { user, stamp: editable(user), self: user.id === me.id, lockedUntil, stranded: stranded?.total ? stranded : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const me = await requirePermission(request, "user.manage");
  const target = await load(params.id);
  const form = await readForm(request);
  if (form.get("intent") === "unlock") {
    await clearAccountLocks(await getDb(), target.username);
    await audit(request, { actor: me, action: "user_updated", target: target.username, detail: "解除登录限制" });
    throw redirect(`/admin/users/${target.id}?unlocked=1`);
  }
  // The stamp the form was opened with goes back with every refusal: a page shown again after an
  // error (without JavaScript, rendered from fresh data) must not quietly take a newer one.
  const seen = String(form.get("stamp") ?? "");
  // the values it was opened with, for merging after a colleague's save (a page from before has none)
  const opened = openedAccountValues(form.get("opened"));
  const submission = parseWithZod(form, { schema: userUpdateSchema });
  // (a password typed is never sent back into the form)
  const refuse = (errors: Record<string, string>, formError = "请按提示修改标红的内容。", status = 400) =>
    data(
      {
        result: submission.reply({ formErrors: [formError], fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, [m]])), hideFields: ["password"] }),
        seen,
        opened: opened ? JSON.stringify(opened) : null,
      },
      { status },
    );
  if (submission.status !== "success") return refuse({});
  const input = submission.value;
  // An admin must not lock themselves out of user management, nor set their own password here
  // (个人设置 asks for the current one, under the sign-in limits).
  if (target.id === me.id && input.disabled) return refuse({ disabled: "不能停用自己的账号。" });
  if (target.id === me.id && !may({ id: me.id, role: input.role }, "user.manage")) return refuse({ role: "不能取消自己的管理员角色。" });
  if (target.id === me.id && input.password) return refuse({ password: "修改自己的密码请到“个人设置”（须输入当前密码）。" });
  const db = await getDb();
  try {
    await db.transaction((tx) => updateUserChecked(tx, { id: target.id, input: input, unchanged: (now) => seen === editable(now) }));
  } catch (e) {
    if (e instanceof UserChangedError) return refuseChanged(await getUser(db, target.id));
    if (e instanceof LastAdminError) return refuse({ [input.disabled ? "disabled" : "role"]: e.message });
    if (e instanceof HandlerHasProposalsError) return refuse({ role: e.message });
    throw e;
  }
  /**
   * Changed since the form was opened. Refused with the new stamp (the old one was sent back, and
   * every later save refused again): what this admin did not change takes the colleague's value,
   * what both changed keeps this admin's with the colleague's beside it, so saving again is a knowing choice.
   */
  function refuseChanged(now: Awaited<ReturnType<typeof getUser>>) {
    if (!now) throw new Response("用户不存在。", { status: 404 });
    const theirs = accountFormValues(now);
    const { merged, conflicts } = mergeAccountEdits({ base: opened, mine: accountFormValues(input), theirs });
    const shown = (k: keyof AccountFormValues) =>
      k === "role" ? (ROLE_LABELS[theirs.role as Role] ?? theirs.role) : k === "disabled" ? (theirs.disabled ? "停用" : "启用") : theirs[k] || "（空）";
    const formError = `该用户的信息刚被修改过（其他管理员，或本人在个人设置中），您的修改未保存。${
      conflicts.length ? "与您填写的不同之处见各项下方；您未改动的项已更新为最新。" : "您未改动的项已更新为最新。"
    }${input.password ? "重设的密码请重新输入。" : ""}核对后再次保存，将以页面上的为准。`;
    const result = submission.reply({ formErrors: [formError], fieldErrors: Object.fromEntries(conflicts.map((k) => [k, [`刚被改为：${shown(k)}`]])), hideFields: ["password"] });
    // the form shows the merged values (a ticked box is "on", an unticked one absent)
    const { disabled, ...rest } = merged;
    result.initialValue = { ...rest, ...(disabled ? { disabled } : {}) };
    return data({ result, seen: editable(now), opened: JSON.stringify(theirs) }, { status: 409 });
  }
  if (input.disabled || input.password || input.role !== target.role) await endAllSessionsOf(target.id);
  const changes = [
    input.role !== target.role ? `角色 ${ROLE_LABELS[target.role as Role] ?? target.role} → ${ROLE_LABELS[input.role]}` : null,
    input.disabled !== target.disabled ? (input.disabled ? "停用" : "启用") : null,
    input.password ? "重设密码（下次登录须修改）" : null,
    input.displayName !== target.displayName ? `姓名 ${target.displayName} → ${input.displayName}` : null,
    (input.phone ?? null) !== (target.phone ?? null) ? "电话" : null,
    (input.email ?? null) !== (target.email ?? null) ? "邮箱" : null,
  ].filter(Boolean);
  await audit(request, { actor: me, action: "user_updated", target: target.username, detail: changes.join("；") || "无变化" });
  // disabled while still the handler of proposals being answered: this page says which (it said only 已保存)
  if (input.disabled && (await openProposalsOf(db, target.id, 0)).total > 0) throw redirect(`/admin/users/${target.id}?saved=1`);
  throw redirect(`/admin/users?saved=${encodeURIComponent(target.username)}`);
}

export default function EditUser() {
  const { user, stamp, self, lockedUntil, stranded } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // after a refusal, the stamp it sent back (a colleague's save gives the new one)
  const seen = actionData?.seen ?? stamp;
  return (
    <>
      <PageHeader title={`修改用户：${user.username}`} />
      {params.get("unlocked") && !lockedUntil ? (
        <p role="status" className="mb-4 max-w-2xl rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已解除该账号的登录限制。
        </p>
      ) : null}
      {stranded ? (
        <div role={params.get("saved") ? "alert" : undefined} className="mb-4 max-w-2xl rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {params.get("saved") ? "已保存。" : null}该账号已停用，但仍是 {stranded.total} 件在办提案的承办人，无人能继续办理（期限提醒改发登记员）。请在这些提案上“改派承办人”：
          <ul className="mt-1 flex flex-wrap gap-x-3">
            {stranded.named.map((p) => (
              <li key={p.id}>
                <Link to={`/proposals/${p.id}`}>第{p.number}号</Link>
              </li>
            ))}
            {stranded.total > stranded.named.length ? <li>等（另有 {stranded.total - stranded.named.length} 件）</li> : null}
          </ul>
        </div>
      ) : null}
      {lockedUntil ? (
        <Form method="post" className="mb-4 flex max-w-2xl flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>该账号因多次登录失败受限，至 {formatTime(lockedUntil, "minute")}（本人或他人输错密码所致）。确认是本人要登录时，可解除限制。</span>
          <button type="submit" name="intent" value="unlock" className="btn-secondary">
            解除登录限制
          </button>
        </Form>
      ) : null}
      {/* keyed on the stamp: after a colleague's save the fields show the merged values (typed-in fields keep their own value on a new default) */}
      <UserForm key={seen} user={user} self={self} seen={seen} busy={busy} />
    </>
  );
}

type EditedUser = ReturnType<typeof useLoaderData<typeof loader>>["user"];

function UserForm({ user, self, seen, busy }: { user: EditedUser; self: boolean; seen: string; busy: boolean }) {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useZodForm(userUpdateSchema, {
    id: "user-edit",
    lastResult: actionData?.result,
    defaultValue: { displayName: user.displayName, role: user.role, phone: user.phone ?? "", email: user.email ?? "", disabled: user.disabled ? "on" : undefined },
  });
  const disabledError = fields.disabled.errors?.[0];
  return (
    <Form method="post" {...getFormProps(form)} className="card grid max-w-2xl grid-cols-1 gap-4 md:grid-cols-2" aria-label="修改用户">
      <div className="md:col-span-2">
        <FormError message={form.errors?.[0]} />
      </div>
      <input type="hidden" name="stamp" value={seen} />
      {/* the values it was opened with: after a colleague's save, what this admin did not change takes theirs */}
      <input type="hidden" name="opened" value={actionData?.opened ?? JSON.stringify(accountFormValues(user))} />
      <AccountFields fields={fields} creating={false} />
      {self ? (
        <p className="self-end text-sm text-slate-600">
          修改自己的密码请到
          <Link to="/account" className="mx-1 text-blue-700 underline">
            个人设置
          </Link>
          （须输入当前密码）。
        </p>
      ) : (
        <TextField label="重设密码" name="password" type="password" autoComplete="new-password" error={fields.password.errors?.[0]} hint="留空则不修改；至少 10 个字符" />
      )}
      <div className="md:col-span-2">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="disabled"
            defaultChecked={fields.disabled.initialValue === "on"}
            aria-invalid={disabledError ? true : undefined}
            aria-describedby={disabledError ? "disabled-error" : undefined}
          />{" "}
          停用此账号（停用后立即退出登录，历史记录保留）
        </label>
        {disabledError ? (
          <p id="disabled-error" className="mt-1 text-sm text-red-600">
            {disabledError}
          </p>
        ) : null}
      </div>
      <div className="flex gap-2 md:col-span-2">
        <button type="submit" className="btn-primary" disabled={busy}>
          保存
        </button>
        <Link to="/admin/users" className="btn-secondary">
          取消
        </Link>
      </div>
    </Form>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
