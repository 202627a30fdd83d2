import { z } from "zod";
import { BUREAU_ROLES, cleanText } from "./proposal";
import { PROPOSAL_STATES } from "./workflow";

/** The proposal list's filters, from the address bar: also what the deadline exports filter by. */
export const proposalListFiltersSchema = z.object({
  // Over-long values are cut, not refused: a filter in the address bar never yields an error page.
  meeting: z
    .string()
    .optional()
    .transform((s) => (s ? cleanText(s.slice(0, 100)) : undefined)),
  role: z.enum(BUREAU_ROLES).optional().catch(undefined),
  state: z.enum(PROPOSAL_STATES).optional().catch(undefined),
  q: z
    .string()
    .optional()
    .transform((s) => (s ? cleanText(s.slice(0, 100)) || undefined : undefined)),
  /** Deadline: overdue, due within the week, or both ("urgent": the home page's list in full). */
  due: z.enum(["overdue", "week", "urgent"]).optional().catch(undefined),
  /** Only the signed-in handler's own proposals. */
  mine: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
