/**
 * Drive a proposal through 提交签发 and 签发 the way the product does: with a real draft letter,
 * checked by submitLetter and numbered by signLetter (the workflow refuses these actions without one).
 */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import type { Draft } from "~/domain/draft";
import type { Disclosure } from "~/domain/workflow";
import { getCurrentLetter, saveDraft, signLetter, startDraft, submitLetter } from "~/models/letter.server";
import { getProposal } from "~/models/proposal.server";

const LETTER_DISCLOSURE: Record<Disclosure, NonNullable<Draft["disclosure"]>> = { public: "主动公开", on_request: "依申请公开", not_public: "不予公开" };

/** Write (or complete) the draft — a heading and a paragraph, outcome A — with the disclosure asked for, then submit it. */
export async function submitWithDraft(
  db: Db,
  r: { proposalId: number; actor: SessionUser; today: string; disclosure?: Disclosure | null; disclosureReason?: string | null; expectedVersion?: number },
) {
  let current = await getCurrentLetter(db, r.proposalId);
  if (!current?.revision || current.state !== "draft") {
    await startDraft(db, { proposalId: r.proposalId, actor: r.actor });
    current = (await getCurrentLetter(db, r.proposalId))!;
  }
  const base = current.revision!.draft;
  const draft: Draft = {
    ...base,
    blocks: base.blocks.length
      ? base.blocks
      : [
          { id: "t1", type: "heading", level: 1, text: "一、办理情况" },
          { id: "t2", type: "paragraph", text: "我局认真研究了提案提出的意见建议，现答复如下。" },
        ],
    outcome: base.outcome ?? "A",
    disclosure: r.disclosure === undefined ? base.disclosure : r.disclosure ? LETTER_DISCLOSURE[r.disclosure] : null,
    disclosureReason: r.disclosureReason ?? base.disclosureReason,
  };
  await saveDraft(db, { letterId: current.id, baseRevisionId: current.revision!.id, draft, actor: r.actor, kind: "save" });
  const expectedVersion = r.expectedVersion ?? (await getProposal(db, r.proposalId))!.version;
  return submitLetter(db, { proposalId: r.proposalId, expectedVersion, actor: r.actor, today: r.today });
}

export async function signCurrentLetter(db: Db, r: { proposalId: number; actor: SessionUser; today: string; expectedVersion?: number }) {
  const expectedVersion = r.expectedVersion ?? (await getProposal(db, r.proposalId))!.version;
  return signLetter(db, { proposalId: r.proposalId, expectedVersion, actor: r.actor, today: r.today });
}
