/**
 * The only module that imports lucia (v3 is in maintenance upstream: keep it replaceable).
 * See docs/decisions/003-sessions-lucia.md. Everything else uses session.server.ts.
 */
import { oncePerRequest } from "~/http/request-scope.server";
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { type Db, getDb } from "#db/client.server";
import { lt } from "drizzle-orm";
import { config } from "~/config.server";
import { sessions, users } from "#db/schema";
import type { Role } from "~/domain/roles";

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  phone: string | null;
  disabled: boolean;
  /** Set by an admin's password reset: the user must choose their own before anything else. */
  mustChangePassword?: boolean;
};

const SESSION_LENGTH = new TimeSpan(8, "h");

function createLucia(db: Awaited<ReturnType<typeof getDb>>) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    // Sliding 8-hour sessions: a working day; idle sessions end on their own.
    sessionExpiresIn: SESSION_LENGTH,
    sessionCookie: {
      name: "prd_session",
      // A long-lived cookie: the 8-hour sliding expiry is enforced server-side, so a refreshed
      // session needs no new Set-Cookie from every loader.
      expires: false,
      attributes: { secure: config().NODE_ENV === "production" && !config().INSECURE_COOKIES, sameSite: "lax" },
    },
    getUserAttributes: (row): Omit<SessionUser, "id"> => ({
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      phone: row.phone,
      disabled: row.disabled,
      mustChangePassword: row.mustChangePassword,
    }),
  });
}

type AppLucia = ReturnType<typeof createLucia>;
const KEY = Symbol.for("proposal-reply-desk.lucia");
type G = typeof globalThis & { [KEY]?: { db: unknown; lucia: AppLucia } };

async function lucia(): Promise<AppLucia> {
  const db = await getDb();
  const g = globalThis as G;
  if (!g[KEY] || g[KEY]!.db !== db) g[KEY] = { db, lucia: createLucia(db) };
  return g[KEY]!.lucia;
}

/**
 * A browser-session cookie (no Max-Age/Expires): it never outlives the browser, and the server's
 * 8-hour sliding session bounds it further. Lucia's own "non-expiring" cookie lasts 400 days.
 */
export function asBrowserSessionCookie(setCookie: string): string {
  return setCookie.replace(/;\s*(Max-Age|Expires)=[^;]*/gi, "");
}

/** Create a session and return its Set-Cookie header value. */
export async function startSession(userId: string, attrs: { address?: string | null; userAgent?: string | null } = {}): Promise<string> {
  const l = await lucia();
  const session = await l.createSession(userId, { address: attrs.address ?? null, userAgent: attrs.userAgent?.slice(0, 300) ?? null, createdAt: new Date() });
  return asBrowserSessionCookie(l.createSessionCookie(session.id).serialize());
}

/**
 * For pages kept as rendered (app/http/page-cache.server.ts): the session id a Cookie header
 * carries, and the latest expiry at which lucia would still slide the session on its next
 * validation (half its length before the end) — a session past that goes through validation.
 */
export async function sessionIdInCookie(cookieHeader: string | null): Promise<string | null> {
  return (await lucia()).readSessionCookie(cookieHeader ?? "");
}
export const slidesBefore = (now: number) => new Date(now + SESSION_LENGTH.milliseconds() / 2);

/** The session's user, or null (with a cookie that clears a dead session). */
export async function readSession(cookieHeader: string | null): Promise<{ user: SessionUser | null; sessionId: string | null; setCookie?: string }> {
  const l = await lucia();
  const id = l.readSessionCookie(cookieHeader ?? "");
  if (!id) return { user: null, sessionId: null };
  // the layout's and the page's loaders ask for the same session: validated once per page request
  const { session, user } = await oncePerRequest(`session:${id}`, () => l.validateSession(id));
  if (!session || !user) return { user: null, sessionId: null, setCookie: l.createBlankSessionCookie().serialize() };
  return { user: user as SessionUser, sessionId: session.id };
}

export async function endSession(sessionId: string | null): Promise<string> {
  const l = await lucia();
  if (sessionId) await l.invalidateSession(sessionId);
  return l.createBlankSessionCookie().serialize();
}

export async function endAllSessionsOf(userId: string) {
  await (await lucia()).invalidateUserSessions(userId);
}

/**
 * Sessions past their end (lucia refuses them, but never removes them): their rows, with the
 * address and browser they were opened from, are deleted by the 15-minute housekeeping run.
 */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<number> {
  return (await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id })).length;
}

/** Sign out everywhere but here (after a password change, or from 个人设置). Returns how many ended. */
export async function endOtherSessionsOf(userId: string, keepSessionId: string | null): Promise<number> {
  const l = await lucia();
  const all = await l.getUserSessions(userId);
  let n = 0;
  for (const s of all) {
    if (s.id === keepSessionId) continue;
    await l.invalidateSession(s.id);
    n++;
  }
  return n;
}

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: {
      username: string;
      displayName: string;
      role: Role;
      phone: string | null;
      disabled: boolean;
      mustChangePassword: boolean;
    };
    DatabaseSessionAttributes: {
      address: string | null;
      userAgent: string | null;
      createdAt: Date;
    };
  }
}
