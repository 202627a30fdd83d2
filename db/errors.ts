/** What the database's errors mean, whichever driver raised them (postgres.js, PGlite, wrapped by drizzle). */

/** Is this a unique violation? Raced registrations (batch, number) and a file imported twice at once end up here. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; constraint_name?: string; cause?: unknown; message?: string };
  if (err?.code === "23505") return true;
  if (err?.cause) return isUniqueViolation(err.cause);
  return /proposals_batch_number_uq/.test(String(err?.message ?? ""));
}

/**
 * An error fit for a log or a terminal: drizzle's failed-query error prints every parameter of
 * the statement in its message and stack (a failed restore printed every user's password hash) —
 * here its statement and the database's own reason remain, the parameters do not.
 */
export function withoutParameters(e: unknown): unknown {
  if (!(e instanceof Error) || !("query" in e) || !("params" in e)) return e;
  const cause = (e as { cause?: unknown }).cause as { message?: unknown; code?: unknown; constraint_name?: unknown; table_name?: unknown; column_name?: unknown } | undefined;
  const reason = String(cause?.message ?? cause ?? "");
  // the database's own error is not carried whole either: its detail may quote the row ("Failing row
  // contains (…)", a password hash among the values) — its code and the names it gives are
  const where = [cause?.code, cause?.table_name, cause?.column_name, cause?.constraint_name].filter((x) => typeof x === "string" && x).join(" ");
  const out = new Error(`数据库语句失败：${reason}${where ? `（${where}）` : ""}\n语句：${String((e as { query: unknown }).query)}`);
  const frames = (e.stack ?? "").split("\n").filter((l) => l.startsWith("    at "));
  out.stack = [`Error: ${out.message}`, ...frames].join("\n");
  return out;
}
