/**
 * The printed letter of a proposal, for whoever may see the proposal: the same letter the
 * Word download gives (signed → frozen; draft → watermarked), laid out by the print pipeline.
 */
import { requireUser } from "~/auth/session.server";
import { getVisibleProposal } from "~/models/visible-proposal.server";
import { letterForDownload, LetterUnavailableError } from "./download.server";
import { printKey } from "./print.server";

export async function letterToPrint(request: Request, id: string | undefined) {
  const user = await requireUser(request);
  // Not visible and not existing look the same: a 404 tells nothing about other people's proposals.
  const { db, proposal } = await getVisibleProposal(request, { id, user });
  try {
    const found = await letterForDownload(db, proposal);
    return { user, proposal, ...found, key: printKey(found.letter) };
  } catch (e) {
    if (e instanceof LetterUnavailableError) throw new Response(e.message, { status: e.status });
    throw e;
  }
}
