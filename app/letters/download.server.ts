/** The letter a proposal's page offers for download: the frozen signed one, or the current draft (watermarked). */
import { refuseCrossSite } from "~/http/request-guards";
import type { Db } from "#db/client.server";
import type { Letter } from "~/domain/letter";
import { getCurrentLetter } from "~/models/letter.server";
import { previewLetter, proposalFacts, templateFor } from "~/models/letter-templates.server";
import type { getProposal } from "~/models/proposal.server";
import { requireUser } from "~/auth/session.server";
import { requireVisibleProposal } from "~/http/visible-proposal.server";
import { letterFileName } from "./files";
import { printKey } from "./print.server";

type Proposal = NonNullable<Awaited<ReturnType<typeof getProposal>>>;

export class LetterUnavailableError extends Error {
  constructor(
    message: string,
    public status: number,
  ) {
    super(message);
    this.name = "LetterUnavailableError";
  }
}

/**
 * The letter as it prints now, with its file name. Signed → exactly the frozen Letter; draft →
 * built from the current revision with `draft: true` (草稿 watermark). Throws
 * LetterUnavailableError (404 none yet, 409 draft incomplete).
 */
export async function letterForDownload(db: Db, p: Proposal): Promise<{ letter: Letter; fileName: string; signed: boolean }> {
  const current = await getCurrentLetter(db, p.id);
  if (!current) throw new LetterUnavailableError("这件提案还没有答复稿。", 404);
  if (current.state === "signed" && current.finalLetter) {
    const letter = current.finalLetter;
    return {
      letter,
      fileName: letterFileName({ documentNumber: current.documentNumber ?? letter.documentNumber, proposalNumber: p.number, kind: letter.kind, draft: false }),
      signed: true,
    };
  }
  if (!current.revision) throw new LetterUnavailableError("这件提案还没有答复稿。", 404);
  const built = previewLetter(templateFor(p.bureauRole, current.templateId), proposalFacts(p), current.revision.draft);
  if (!built.letter) throw new LetterUnavailableError(`答复稿尚不完整，无法生成 Word 文件：${built.errors.join("；")}`, 409);
  const letter: Letter = { ...built.letter, draft: true };
  return { letter, fileName: letterFileName({ documentNumber: null, proposalNumber: p.number, kind: letter.kind, draft: true }), signed: false };
}

/**
 * For a route about a proposal's letter (Word, PDF, print preview): the signed-in user, the
 * proposal if they may see it (else 404, like a missing one), its letter as letterForDownload
 * gives it and the letter's print key; no letter yet is the error's own status.
 */
export async function letterForRequest(request: Request, id: string | undefined) {
  // A PDF is a LibreOffice print and every download is audited in the user's name.
  refuseCrossSite(request, "请从本系统的提案页面下载或预览答复函。");
  const user = await requireUser(request);
  const { db, proposal } = await requireVisibleProposal(request, { id, user });
  try {
    const found = await letterForDownload(db, proposal);
    return { user, db, proposal, ...found, key: printKey(found.letter) };
  } catch (e) {
    if (e instanceof LetterUnavailableError) throw new Response(e.message, { status: e.status });
    throw e;
  }
}
