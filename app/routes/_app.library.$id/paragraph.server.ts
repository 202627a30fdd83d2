/** Loader and action of /library/:id (the page is ParagraphPage.tsx). */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission, requireUser } from "~/auth/session.server";
import { may, rolesWith } from "~/domain/permissions";
import { proofreadParagraph } from "~/domain/proofread-draft";
import { paragraphEditSchema } from "~/domain/paragraph-form";
import { visibilityFor } from "~/models/access.server";
import { audit } from "~/models/audit.server";
import {
  compareVersions,
  getParagraph,
  getStaleAfterDays,
  listLibraryOwners,
  listOutdatedDraftUses,
  listParagraphUses,
  listVersions,
  ParagraphVersionConflictError,
  reviseParagraph,
  setParagraphOwner,
  setParagraphStatus,
  scopeUses,
  stalenessFlags,
} from "~/models/paragraph.server";
import { documentsNamedByNumber, hiddenDocumentTitle } from "~/models/library-document.server";
import { recordId } from "~/domain/query-params";
import { readForm } from "~/http/form.server";

const idSchema = recordId;

async function load(rawId: string | undefined) {
  const id = idSchema.safeParse(rawId);
  const db = await getDb();
  const paragraph = id.success ? await getParagraph(db, id.data) : null;
  if (!paragraph) throw new Response("段落不存在。", { status: 404 });
  return { db, paragraph };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, paragraph } = await load(params.id);
  const url = new URL(request.url);
  const canEdit = may(user, "library.edit");
  const vis = await visibilityFor(db, user);
  const [versions, allUses, allOutdated, staleAfterDays, owners] = await Promise.all([
    listVersions(db, paragraph.id),
    listParagraphUses(db, paragraph.id),
    listOutdatedDraftUses(db, paragraph.id),
    getStaleAfterDays(db),
    canEdit ? listLibraryOwners(db, rolesWith("library.edit")) : Promise.resolve([]),
  ]);
  const num = z.coerce.number().int().min(1).max(paragraph.version);
  const to = num.catch(paragraph.version).parse(url.searchParams.get("to") ?? paragraph.version);
  const from = num.catch(Math.max(1, to - 1)).parse(url.searchParams.get("from") ?? Math.max(1, to - 1));
  const uses = scopeUses(allUses, vis);
  const outdated = scopeUses(allOutdated, vis);
  // a past letter whose proposal this reader may not open is named by its 文号 only (decision 009)
  const hidden = await documentsNamedByNumber(db, vis, [paragraph.sourceDocumentId, ...versions.map((v) => v.sourceDocumentId)]);
  const titled = <T extends { sourceDocumentId: number | null; sourceDocumentTitle: string | null; sourceLetterNumber: string | null }>(d: T): T =>
    d.sourceDocumentId !== null && hidden.has(d.sourceDocumentId) ? { ...d, sourceDocumentTitle: hiddenDocumentTitle({ letterNumber: d.sourceLetterNumber }) } : d;
  const diff = paragraph.version > 1 && from !== to ? await compareVersions(db, { paragraphId: paragraph.id, from, to }) : null;
  return {
    paragraph: titled(paragraph),
    versions: versions.map(({ body: _b, ...v }) => {
      const shown = titled(v);
      // an import's note names the letter by its title ("导入自《东工信函…第20210100号提案的答复》"), the 文号 only here too
      return shown === v || !v.note?.startsWith("导入自《") ? shown : { ...shown, note: `导入自《${shown.sourceDocumentTitle}》` };
    }),
    uses,
    outdated,
    diff,
    stale: stalenessFlags(paragraph, new Date(), staleAfterDays),
    // 公文校对 of the current text: fixed here, an error stops spreading through reuse.
    proofread: paragraph.kind === "paragraph" && typeof paragraph.body === "string" ? proofreadParagraph(paragraph.body) : [],
    owners,
    canEdit,
  };
}

class OwnerConflictError extends Error {}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "library.edit");
  const { db, paragraph } = await load(params.id);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "retire" || intent === "activate") {
    const { changed } = await db.transaction((tx) => setParagraphStatus(tx, { id: paragraph.id, status: intent === "retire" ? "retired" : "active", actorId: user.id }));
    // Re-activating clears who retired it on the row: the log keeps both. Already so (a second
    // click, a colleague first): nothing changed, nothing logged.
    if (changed)
      await audit(request, { actor: user, action: "library_changed", target: `段落 ${paragraph.id}“${paragraph.title}”`, detail: intent === "retire" ? "停用" : "重新启用" });
    throw redirect(`/library/${paragraph.id}?${intent === "retire" ? "retired" : "activated"}=1`);
  }
  const submission = parseWithZod(form, { schema: paragraphEditSchema });
  // A refusal sends back the version the form was opened at: the page shown again (without
  // JavaScript, from fresh data) must not quietly take a newer one and overwrite it on the next save.
  const seen = { version: String(form.get("version") ?? ""), ownerSeen: String(form.get("ownerSeen") ?? "") };
  if (submission.status !== "success") return data({ result: submission.reply({ formErrors: ["请按提示修改标红的内容后再保存。"] }), seen }, { status: 400 });
  const input = submission.value;
  // The owner changes only when this user changed it, to someone who may own library paragraphs,
  // and only if nobody else changed it since the form was opened (saving a text edit from an
  // older form must not put back the owner someone has just set).
  const ownerChanged = input.ownerId !== input.ownerSeen;
  const newOwner = ownerChanged && input.ownerId ? (await listLibraryOwners(db, rolesWith("library.edit"))).find((o) => o.id === input.ownerId) : undefined;
  if (ownerChanged && input.ownerId && !newOwner) return data({ result: submission.reply({ fieldErrors: { ownerId: ["请从列表中选择负责人"] } }), seen }, { status: 400 });
  let changed = false;
  try {
    changed = await db.transaction(async (tx) => {
      const r = await reviseParagraph(tx, {
        id: paragraph.id,
        expectedVersion: input.version,
        title: input.title,
        body: paragraph.kind === "table" ? input.body : input.body.trim(),
        tags: input.tags,
        asOf: input.asOf,
        note: input.note || null,
        actorId: user.id,
      });
      if (ownerChanged && !(await setParagraphOwner(tx, { id: paragraph.id, ownerId: input.ownerId, expectedOwnerId: input.ownerSeen }))) throw new OwnerConflictError();
      return r.changed || ownerChanged;
    });
  } catch (e) {
    // A conflict shows the page as it is now (route.tsx reloads it; the versions below show what
    // the colleague changed) with the clerk's typing kept: saving again is a choice made knowingly.
    if (e instanceof ParagraphVersionConflictError)
      return data(
        {
          result: submission.reply({ formErrors: ["该段落刚被其他人修改，生成了新的版本（改动见下方“版本”）。您填写的内容已保留：核对后再次保存，将在最新版本之上生成新版本。"] }),
          seen: null,
        },
        { status: 409 },
      );
    if (e instanceof OwnerConflictError)
      return data(
        { result: submission.reply({ formErrors: ["负责人刚被其他人修改过（上方已显示最新负责人）。您填写的内容已保留：如仍需更改，核对后再次保存。"] }), seen: null },
        { status: 409 },
      );
    throw e;
  }
  // A new version is in the paragraph's own history; who owns it is recorded here.
  if (ownerChanged)
    await audit(request, {
      actor: user,
      action: "library_changed",
      target: `段落 ${paragraph.id}“${paragraph.title}”`,
      detail: `负责人 ${paragraph.ownerName ?? "（无）"} → ${newOwner?.displayName ?? "（无）"}`,
    });
  throw redirect(`/library/${paragraph.id}?${changed ? "saved=1" : "unchanged=1"}`);
}
