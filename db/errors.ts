/** What the database's errors mean, whichever driver raised them (postgres.js, PGlite, wrapped by drizzle). */

/** Is this a unique violation? Raced registrations (batch, number) and a file imported twice at once end up here. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; constraint_name?: string; cause?: unknown; message?: string };
  if (err?.code === "23505") return true;
  if (err?.cause) return isUniqueViolation(err.cause);
  return /proposals_batch_number_uq/.test(String(err?.message ?? ""));
}
