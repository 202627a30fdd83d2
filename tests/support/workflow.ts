/**
 * A workflow step as the product takes it: 登记征询意见 goes through recordFeedbackAnswers (every
 * proposer answers, here all alike, on the day of the step), the other actions through performAction.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { proposals } from "#db/schema";
import { proposerNames, recordFeedbackAnswers } from "~/models/feedback.server";
import { performAction } from "~/models/workflow.server";

export async function performStep(db: Db, req: Parameters<typeof performAction>[1]) {
  if (req.action !== "record_feedback") return performAction(db, req);
  const [p] = await db.select({ assignedOn: proposals.assignedOn }).from(proposals).where(eq(proposals.id, req.proposalId));
  const answers = (await proposerNames(db, req.proposalId)).map((proposer) => ({ proposer, result: req.input.feedback!, answeredOn: req.today }));
  return recordFeedbackAnswers(db, { proposalId: req.proposalId, expectedVersion: req.expectedVersion, actor: req.actor, today: req.today, assignedOn: p!.assignedOn, answers });
}
