/**
 * Guards for loaders and actions: call one on the first line. Authorization is decided
 * here on the server, never by hiding a button.
 */
import { safeRedirectTarget } from "~/domain/redirect";
import { redirect } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { type GlobalPermission, may, PERMISSION_LABELS } from "~/domain/permissions";
import { findUserForSignIn } from "~/models/user.server";
import { endSession, readSession, startSession, type SessionUser } from "./lucia.server";
import { audit } from "~/models/audit.server";
import { verifyPassword } from "./password.server";
import { releaseAttempt, reserveAttempt } from "./throttle.server";

export type { SessionUser };

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const { user } = await readSession(request.headers.get("Cookie"));
  return user && !user.disabled ? user : null;
}

/** The signed-in user, or a redirect to sign in. `known`: the user getOptionalUser already read for this request (read once, not twice). */
export async function requireUser(request: Request, known?: SessionUser | null): Promise<SessionUser> {
  const user = known !== undefined ? known : await getOptionalUser(request);
  const url = new URL(request.url);
  if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  // A password an admin set is used once: to reach 个人设置 and choose one's own.
  if (user.mustChangePassword && !/^\/(account|logout)(\.data)?$/.test(url.pathname)) throw redirect("/account?change=required");
  return user;
}

export function forbidden(message = "您没有执行此操作的权限。"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** For pages that are not about one proposal; those start with requireVisibleProposal (app/http) and ask the policy. */
export async function requirePermission(request: Request, permission: GlobalPermission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!may(user, permission)) {
    await audit(request, { actor: user, action: "refused", target: new URL(request.url).pathname, detail: `缺少权限：${PERMISSION_LABELS[permission]}` });
    throw forbidden();
  }
  return user;
}

/** A resource the user may not see: recorded, then answered as "not found" (its existence is not confirmed). */
export async function refuseAsNotFound(request: Request, user: SessionUser, message: string): Promise<never> {
  await audit(request, { actor: user, action: "refused", target: new URL(request.url).pathname, detail: "无权查看" });
  throw new Response(message, { status: 404 });
}

export type SignInResult =
  | { ok: true; setCookie: string; redirectTo: string; user: { id: string; displayName: string } }
  /** `throttled`: refused by a sign-in limit, the password not checked. */
  | { ok: false; error: string; throttled?: boolean };

export async function signIn(params: { username: string; password: string; address: string; userAgent?: string | null; redirectTo?: string | null }): Promise<SignInResult> {
  const db = await getDb();
  const username = params.username.trim();
  // Counted before the password is checked (see throttle.server.ts).
  const minutes = await reserveAttempt(db, username, params.address);
  if (minutes > 0) return { ok: false, error: `登录失败次数过多，请 ${minutes} 分钟后再试。`, throttled: true };
  const account = await findUserForSignIn(db, username);
  const valid = await verifyPassword(account?.passwordHash ?? null, params.password);
  if (!account || !valid || account.disabled) {
    return { ok: false, error: account?.disabled && valid ? "该账号已停用，请联系系统管理员。" : "用户名或密码不正确。" };
  }
  await releaseAttempt(db, username, params.address);
  return {
    ok: true,
    setCookie: await startSession(account.id, { address: params.address, userAgent: params.userAgent }),
    redirectTo: account.mustChangePassword ? "/account?change=required" : safeRedirectTarget(params.redirectTo),
    user: { id: account.id, displayName: account.displayName },
  };
}

export async function signOut(request: Request): Promise<string> {
  const { sessionId, user } = await readSession(request.headers.get("Cookie"));
  if (user) await audit(request, { actor: user, action: "sign_out" });
  return endSession(sessionId);
}

/** The current session's id (to keep it when signing out the others). */
export async function currentSessionId(request: Request): Promise<string | null> {
  return (await readSession(request.headers.get("Cookie"))).sessionId;
}
