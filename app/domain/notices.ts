/** Notices' kinds, shared by the server and the notices page. Browser-safe. */
export type NoticeKind =
  | "assigned"
  | "returned"
  | "awaiting_signature"
  | "due_soon"
  | "overdue"
  | "deadline_changed"
  | "reassignment"
  | "extension"
  | "extension_decided"
  | "signed"
  | "feedback";

/** Notices about the date a handler works to: over when it moves or the reply goes out; a newer one supersedes the unread older. */
export const DEADLINE_NOTICES: readonly NoticeKind[] = ["due_soon", "overdue", "deadline_changed"];

export const isDeadlineNotice = (kind: string): boolean => (DEADLINE_NOTICES as readonly string[]).includes(kind);

/** A notice's e-mail subject: one line (a digest of moved deadlines is a paragraph; the mail's text has it whole). */
export function mailSubject(message: string): string {
  const chars = Array.from(message);
  return `【提案答复系统】${chars.length > 60 ? `${chars.slice(0, 58).join("")}……` : message}`;
}
