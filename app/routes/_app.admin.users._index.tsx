import { audit } from "~/models/audit.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { accessOf, PERMISSION_LABELS, PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { lockedAccounts } from "~/auth/throttle.server";
import { userInputSchema } from "~/domain/user-input";
import { createUser, listUsers, UsernameTakenError } from "~/models/user.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormError, TextField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { AccountFields } from "~/ui/account-fields";
import { PageHeader, StateBadge } from "~/ui/layout";
import { readForm } from "~/http/form.server";
import { ScrollArea } from "~/ui/scroll-area";
import { flashKnown } from "~/ui/flash";

export const meta: MetaFunction = () => [{ title: "用户管理 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user.manage");
  const db = await getDb();
  const users = await listUsers(db);
  // an account held by its sign-in limits reads as such here, not as 正常 (the edit page lifts them)
  const locked = await lockedAccounts(
    db,
    users.map((u) => u.username),
  );
  return { users: users.map((u) => ({ ...u, locked: locked.has(u.username) })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requirePermission(request, "user.manage");
  const submission = parseWithZod(await readForm(request), { schema: userInputSchema });
  // (the password is never sent back into the form)
  if (submission.status !== "success") return data({ result: submission.reply({ formErrors: ["请按提示修改标红的内容。"], hideFields: ["password"] }) }, { status: 400 });
  const input = submission.value;
  try {
    const db = await getDb();
    await db.transaction((tx) => createUser(tx, input, { mustChangePassword: true }));
  } catch (e) {
    if (e instanceof UsernameTakenError)
      return data({ result: submission.reply({ formErrors: ["请按提示修改标红的内容。"], fieldErrors: { username: [e.message] }, hideFields: ["password"] }) }, { status: 400 });
    throw e;
  }
  await audit(request, { actor: me, action: "user_created", target: input.username, detail: `角色 ${ROLE_LABELS[input.role]}` });
  throw redirect(`/admin/users?created=${encodeURIComponent(input.username)}`);
}

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useZodForm(userInputSchema, { id: "user-create", lastResult: actionData?.result });
  const usernames = users.map((u) => u.username);
  const saved = flashKnown(params, "saved", usernames);
  const created = flashKnown(params, "created", usernames);
  return (
    <>
      <PageHeader title="用户管理" subtitle="创建账号、设置角色、停用离岗人员。" />
      {saved && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已保存用户 {saved} 的修改。
        </div>
      ) : null}
      {created && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已创建用户 {created}。
        </div>
      ) : null}
      <ScrollArea label="用户（表格）" className="card mb-6 p-0">
        <table className="table-base">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>角色</th>
              <th>联系电话</th>
              <th>邮箱</th>
              <th>状态</th>
              <th>
                <span className="sr-only">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{ROLE_LABELS[u.role]}</td>
                <td>{u.phone ?? "—"}</td>
                <td>{u.email ?? "—"}</td>
                <td>
                  {u.disabled ? <StateBadge label="已停用" tone="red" /> : u.locked ? <StateBadge label="登录受限" tone="amber" /> : <StateBadge label="正常" tone="green" />}
                </td>
                <td>
                  <Link to={`/admin/users/${u.id}`}>修改</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
      <details className="card mb-6">
        <summary className="cursor-pointer font-semibold">各角色权限</summary>
        <p className="my-2 text-sm text-slate-600">系统按此表判断每个操作，页面、按钮和办理流程都以它为准。“本人承办”指分派给该用户的提案。</p>
        <ScrollArea label="各角色权限（表格）">
          <table className="table-base text-sm">
            <thead>
              <tr>
                <th>操作</th>
                {ROLES.map((r) => (
                  <th key={r}>{ROLE_LABELS[r]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PERMISSIONS.map((p) => (
                <tr key={p}>
                  <td>{PERMISSION_LABELS[p]}</td>
                  {ROLES.map((r) => {
                    const a = accessOf({ role: r }, p);
                    return <td key={r}>{a === "any" ? "全部" : a === "own" ? "本人承办" : "—"}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      </details>
      <h2 className="mb-2 text-lg font-semibold">新建用户</h2>
      <Form method="post" {...getFormProps(form)} className="card grid grid-cols-1 gap-4 md:grid-cols-2" aria-label="新建用户">
        <div className="md:col-span-2">
          <FormError message={form.errors?.[0]} />
        </div>
        <TextField
          label="用户名"
          name="username"
          autoComplete="off"
          defaultValue={fields.username.initialValue}
          error={fields.username.errors?.[0]}
          hint="登录用，字母、数字、下划线、点和连字符"
          required
        />
        <AccountFields fields={fields} creating={true} />
        <TextField
          label="初始密码"
          name="password"
          type="password"
          autoComplete="new-password"
          error={fields.password.errors?.[0]}
          hint="至少 10 个字符；用户首次登录后须改为自己的密码"
          required
        />
        <div className="flex items-end">
          <button type="submit" className="btn-primary" disabled={busy}>
            创建用户
          </button>
        </div>
      </Form>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
