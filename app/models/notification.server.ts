/**
 * In-app notifications, and the same by e-mail when SMTP_URL is configured. Mail is sent after
 * the action's transaction, and a mail failure never fails the action (it is logged and retried
 * on the next delivery run).
 */
import { config, resetConfig } from "~/config.server";
import { and, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { notifications, proposals, users } from "#db/schema";
import { may, type Permission, rolesWith } from "~/domain/permissions";

import { DEADLINE_NOTICES, mailSubject, type NoticeKind } from "~/domain/notices";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { markOnce, SETTING_KEYS } from "./settings.server";
export { DEADLINE_NOTICES, type NoticeKind };

export async function notify(
  db: Db,
  n: { userIds: (string | null | undefined)[]; proposalId?: number | null; kind: NoticeKind; message: string; dedupeKey?: string; coveredProposalIds?: readonly number[] },
) {
  const ids = [...new Set(n.userIds.filter((x): x is string => Boolean(x)))];
  if (!ids.length) return 0;
  const rows = await db
    .insert(notifications)
    .values(
      ids.map((userId) => ({
        userId,
        proposalId: n.proposalId ?? null,
        kind: n.kind,
        message: n.message,
        dedupeKey: n.dedupeKey ?? null,
        coveredProposalIds: n.coveredProposalIds ? [...n.coveredProposalIds] : null,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id, userId: notifications.userId });
  // A handler told "7 days left" and then "3 days left" needs the latest only: the earlier ones
  // about the same deadline, still unread, stop counting (they stay listed, marked as such).
  if (rows.length && n.proposalId && DEADLINE_NOTICES.includes(n.kind))
    await db
      .update(notifications)
      .set({ supersededAt: new Date() })
      .where(
        and(
          eq(notifications.proposalId, n.proposalId),
          inArray(
            notifications.userId,
            rows.map((r) => r.userId),
          ),
          inArray(notifications.kind, [...DEADLINE_NOTICES]),
          notInArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
          isNull(notifications.readAt),
          isNull(notifications.resolvedAt),
          isNull(notifications.supersededAt),
        ),
      );
  return rows.length;
}

/**
 * The enabled users who hold a permission — in any scope, or only for every proposal (`"any"`: the
 * registrars who send every signed reply, not each handler who sends their own). Whom a notice
 * reaches follows the policy, so a grant changed in permissions.ts changes who is told.
 */
export async function userIdsWhoMay(db: Db, permission: Permission, scope?: "any") {
  const roles = rolesWith(permission, scope);
  if (!roles.length) return [];
  return (
    await db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.role, roles), eq(users.disabled, false)))
  ).map((r) => r.id);
}

/** What needs the user now: unread notices whose task is not done yet. */
export async function unreadCount(db: Db, userId: string) {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), isNull(notifications.resolvedAt), isNull(notifications.supersededAt)));
  return r.n;
}

/**
 * The task behind these notices is done (a letter signed or returned, an extension decided, a
 * proposal acknowledged…): they stay listed, marked done, and stop counting and mailing.
 * Called before the action's own notices are created, so those are not resolved with them.
 */
export async function resolveNotices(db: Db, r: { proposalId: number; kinds: readonly NoticeKind[]; dateMoved?: boolean }) {
  if (!r.kinds.length) return;
  await db
    .update(notifications)
    // Its reminder key goes with it: the same reminder may be due again (改派 back to the same
    // handler, a date moved away and back), and the key would refuse it for good.
    .set({ resolvedAt: new Date(), dedupeKey: null })
    .where(and(eq(notifications.proposalId, r.proposalId), inArray(notifications.kind, [...r.kinds]), isNull(notifications.resolvedAt)));
  if (r.kinds.includes("deadline_changed")) await resolveDigests(db, r.proposalId, r.dateMoved ?? false);
}

/**
 * A digest of moved deadlines (one notice listing several proposals, deadlinesMoved) that lists
 * this proposal: when its date moves again the digest states a date no longer true — 不再适用, no
 * longer counted; when its task is done (sent, transferred, handed to another handler) the digest
 * is done once every proposal it lists is. It stayed counted for good, its dates wrong (the
 * deadlines review). One already replaced by a newer digest (已有新提醒) is left as it is.
 */
async function resolveDigests(db: Db, proposalId: number, dateMoved: boolean) {
  const settled = dateMoved
    ? sql`true`
    : sql`not exists (select 1 from ${proposals} p where p.id = any(${notifications.coveredProposalIds}) and p.id <> ${proposalId}
        and p.state not in (${sql.join(
          CLOCK_STOPPED_STATES.map((s) => sql`${s}`),
          sql`, `,
        )}) and p.handler_id = ${notifications.userId})`;
  await db
    .update(notifications)
    .set({ resolvedAt: new Date() })
    .where(
      and(
        isNull(notifications.proposalId),
        eq(notifications.kind, "deadline_changed"),
        isNull(notifications.resolvedAt),
        isNull(notifications.supersededAt),
        sql`${notifications.coveredProposalIds} @> array[${proposalId}::int]`,
        settled,
      ),
    );
}

/**
 * A user's notices: those that need them now (unread, the task not done) first, then the rest,
 * newest first — the newest 100 alone hid older unread ones the header still counted.
 */
export async function listNotifications(db: Db, userId: string, limit = 200) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      message: notifications.message,
      proposalId: notifications.proposalId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      resolvedAt: notifications.resolvedAt,
      supersededAt: notifications.supersededAt,
      /** Whose the proposal is now: the page links only to proposals the reader may still open. */
      proposalHandlerId: proposals.handlerId,
    })
    .from(notifications)
    .leftJoin(proposals, eq(proposals.id, notifications.proposalId))
    .where(eq(notifications.userId, userId))
    .orderBy(sql`(${notifications.readAt} is null and ${notifications.resolvedAt} is null and ${notifications.supersededAt} is null) desc`, desc(notifications.id))
    .limit(limit);
}

/** The latest notice the mail server refused for good since the user's address was set and no mail reached it after (null: none). */
export async function lastRefusedEmail(db: Db, userId: string): Promise<{ at: Date; error: string | null } | null> {
  const [row] = await db
    .select({ at: notifications.emailFailedAt, error: notifications.emailError })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(
      and(
        eq(notifications.userId, userId),
        isNotNull(notifications.emailFailedAt),
        gte(notifications.emailFailedAt, users.emailSetAt),
        // a mail delivered since says the address works
        sql`not exists (select 1 from notifications n2 where n2.user_id = ${notifications.userId} and n2.emailed_at > ${notifications.emailFailedAt})`,
      ),
    )
    .orderBy(desc(notifications.emailFailedAt))
    .limit(1);
  return row?.at ? { at: row.at, error: row.error } : null;
}

/** Back to unread: something to come back to (a superseded reminder too: the user asked for it). */
export async function markUnread(db: Db, userId: string, id: number) {
  await db
    .update(notifications)
    .set({ readAt: null, supersededAt: null })
    .where(and(eq(notifications.userId, userId), eq(notifications.id, id)));
}

/** Marks these notices read, or all up to the newest one the page showed (`upTo`): a notice arriving meanwhile stays unread. */
export async function markRead(db: Db, userId: string, ids: number[] | { upTo: number }) {
  const cond = Array.isArray(ids)
    ? and(eq(notifications.userId, userId), inArray(notifications.id, ids.length ? ids : [-1]))
    : and(eq(notifications.userId, userId), lte(notifications.id, ids.upTo));
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(cond, isNull(notifications.readAt)));
}

/** When this installation first had mail configured (recorded on the first delivery run). */
async function mailEnabledAt(db: Db): Promise<Date> {
  return new Date(await markOnce(db, SETTING_KEYS.mailEnabledAt));
}

type Transport = { sendMail: (m: { from: string; to: string; subject: string; text: string }) => Promise<unknown> };
let transport: Transport | null | undefined;

async function mailTransport(): Promise<Transport | null> {
  if (transport !== undefined) return transport;
  const url = config().SMTP_URL;
  if (!url) return (transport = null);
  const nodemailer = await import("nodemailer");
  // Short timeouts: a dead mail server must not hold up delivery runs.
  const u = new URL(url);
  for (const [k, v] of Object.entries({ connectionTimeout: "5000", greetingTimeout: "5000", socketTimeout: "10000" })) if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  transport = nodemailer.createTransport(u.toString()) as Transport;
  return transport;
}

/** For tests that point SMTP_URL at a fresh sink. */
export function resetMailTransport() {
  resetConfig();
  transport = undefined;
}

/** How long a delivery run's claim on a notice holds: a run that stopped mid-way (its process ended) is taken over after it. */
export const EMAIL_CLAIM_MS = 10 * 60 * 1000;

/**
 * Whether a send failed because the server refuses this recipient for good (a mistyped address).
 * Only that stops a notice's mail: a wrong SMTP password (535), a refused sender, client or relay —
 * which Postfix answers at RCPT TO too (554 5.7.1 Relay access denied) — is the installation's,
 * and once mended every mail should go out. The enhanced status code decides where there is one
 * (5.1.x: the address); otherwise the server's words.
 */
export function refusesRecipient(e: unknown): boolean {
  const err = e as { responseCode?: unknown; command?: unknown; response?: unknown; message?: unknown };
  if (typeof err.responseCode !== "number" || err.responseCode < 500 || err.command !== "RCPT TO") return false;
  const text = String(err.response ?? err.message ?? "");
  const enhanced = /\b5\.(\d{1,3})\.\d{1,3}\b/.exec(text);
  if (enhanced) return enhanced[1] === "1";
  return (
    /user unknown|unknown user|no such (user|mailbox|recipient)|mailbox (unavailable|not found|does not exist)|does not exist|invalid recipient/i.test(text) &&
    !/relay|sender|client|auth/i.test(text)
  );
}

/**
 * Send the notices of the last day that have not been mailed to users with an address. No
 * backlog: only notices created after mail was first enabled here and after the user's address
 * was set, never one already read or about finished work. Never throws.
 */
export async function deliverPendingEmails(db: Db): Promise<{ sent: number; failed: number }> {
  const t = await mailTransport().catch((e: unknown) => {
    // said once per run, not swallowed: notices stay in the app and are mailed once this is mended
    console.error(`邮件发送未能开始（SMTP_URL）：${e instanceof Error ? e.message : String(e)}`);
    return null;
  });
  if (!t) return { sent: 0, failed: 0 };
  const enabledAt = await mailEnabledAt(db);
  const from = config().MAIL_FROM ?? "提案答复系统 <noreply@localhost>";
  let sent = 0;
  let failed = 0;
  try {
    // Claim the notices before sending (a claim set in the same statement, rows another process
    // is claiming skipped): with several app instances, or a request and the reminder job at
    // once, each e-mail goes out once. A claim is not yet "mailed": a failed send gives it back,
    // and one whose process stopped before sending lapses and is taken again.
    const now = Date.now();
    const unclaimed = or(isNull(notifications.emailClaimedAt), lt(notifications.emailClaimedAt, new Date(now - EMAIL_CLAIM_MS)));
    const due = db
      .select({ id: notifications.id })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .where(
        and(
          isNull(notifications.emailedAt),
          isNull(notifications.emailFailedAt),
          unclaimed,
          isNull(notifications.readAt),
          isNull(notifications.resolvedAt),
          isNull(notifications.supersededAt),
          isNotNull(users.email),
          // a disabled account (someone who left) is no longer written to
          eq(users.disabled, false),
          gte(notifications.createdAt, users.emailSetAt),
          gte(notifications.createdAt, enabledAt),
          gt(notifications.createdAt, new Date(now - 86_400_000)),
        ),
      )
      .limit(200)
      .for("update", { of: notifications, skipLocked: true });
    const claimed = await db
      .update(notifications)
      .set({ emailClaimedAt: new Date(now) })
      .where(and(inArray(notifications.id, due), isNull(notifications.emailedAt), unclaimed))
      .returning({ id: notifications.id, message: notifications.message, proposalId: notifications.proposalId, userId: notifications.userId });
    const people = claimed.length
      ? await db
          .select({ id: users.id, email: users.email, name: users.displayName, role: users.role })
          .from(users)
          .where(
            inArray(
              users.id,
              claimed.map((c) => c.userId),
            ),
          )
      : [];
    // The link goes only to a proposal its reader may still open (as the notices page links): after
    // 改派 the former handler's "已改派他人办理" mail linked to a page that answers 404.
    const proposalIds = [...new Set(claimed.flatMap((c) => (c.proposalId === null ? [] : [c.proposalId])))];
    const handlerOf = new Map(
      proposalIds.length
        ? (await db.select({ id: proposals.id, handlerId: proposals.handlerId }).from(proposals).where(inArray(proposals.id, proposalIds))).map((p) => [p.id, p.handlerId])
        : [],
    );
    // (imported here: access.server reaches this module through workflow.server)
    const settings = claimed.length ? await (await import("./access.server")).policySettings(db) : {};
    const pending = claimed.map((c) => {
      const u = people.find((p) => p.id === c.userId)!;
      const linked = c.proposalId !== null && handlerOf.has(c.proposalId) && may(u, "proposal.read", { handlerId: handlerOf.get(c.proposalId) ?? null }, settings);
      return { ...c, proposalId: linked ? c.proposalId : null, email: u.email, name: u.name };
    });
    for (const [i, n] of pending.entries()) {
      // a slow mail server: hand the rest back before the claims lapse and another run sends them too
      if (Date.now() - now > EMAIL_CLAIM_MS / 2) {
        await db
          .update(notifications)
          .set({ emailClaimedAt: null })
          // only this run's claims: one that lapsed meanwhile may be another run's now
          .where(
            and(
              inArray(
                notifications.id,
                pending.slice(i).map((p) => p.id),
              ),
              eq(notifications.emailClaimedAt, new Date(now)),
            ),
          );
        break;
      }
      try {
        const publicUrl = config().PUBLIC_URL;
        const link = n.proposalId && publicUrl ? `\n\n${publicUrl.replace(/\/$/, "")}/proposals/${n.proposalId}` : "";
        await t.sendMail({ from, to: n.email!, subject: mailSubject(n.message), text: `${n.name}：\n\n${n.message}${link}\n\n（本邮件由系统自动发送）` });
        sent++;
        await db.update(notifications).set({ emailedAt: new Date() }).where(eq(notifications.id, n.id));
      } catch (e) {
        failed++;
        // A refused recipient is final (refusesRecipient): sent again on every run and after every
        // action for a day, it was refused each time and nobody knew. Kept with the server's words for
        // the user's 个人设置; anything else gives the claim back for a later run.
        const permanent = refusesRecipient(e);
        await db
          .update(notifications)
          .set(permanent ? { emailClaimedAt: null, emailFailedAt: new Date(), emailError: String((e as Error).message).slice(0, 300) } : { emailClaimedAt: null })
          .where(and(eq(notifications.id, n.id), eq(notifications.emailClaimedAt, new Date(now))));
        console.warn(`邮件发送失败${permanent ? "（已拒收，不再重发）" : ""}（${n.email}）：${(e as Error).message}`);
      }
    }
  } catch (e) {
    console.warn(`邮件投递出错：${(e as Error).message}`);
  }
  return { sent, failed };
}
