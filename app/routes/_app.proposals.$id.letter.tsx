/**
 * 答复函: the handler drafts here (library paragraphs, free text, headings, live preview,
 * save + autosave with conflict detection); the leader reviews the diff since the last
 * submission and returns or signs; a signed letter is shown frozen.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser, type SessionUser } from "~/auth/session.server";
import { applyDraftOp, draftDiff, draftProblems, draftToLetterInput, type Draft } from "~/domain/draft";
import { readDraftForm, opSchema } from "~/domain/draft-form";
import { tryBuildLetter } from "~/domain/letter";
import { STATE_LABELS, type ProposalState } from "~/domain/workflow";
import { LetterPreview } from "~/letters/LetterPreview";
import { visibilityFor } from "~/models/access.server";
import { listEvents } from "~/models/event.server";
import { today } from "~/models/deadline.server";
import {
  acceptLibraryUpdate,
  DraftConflictError,
  getCurrentLetter,
  getRevision,
  libraryBlock,
  listLetters,
  listRevisions,
  outdatedSources,
  proposalFacts,
  saveDraft,
  signLetter,
  startDraft,
  submitLetter,
  templateFor,
} from "~/models/letter.server";
import { searchParagraphs } from "~/models/library-search.server";
import { blocksOfLetter, draftFromLetter, lettersByNumberQuery, letterSections, similarLettersForProposal } from "~/models/letter-reuse.server";
import { parseReferenceQuery } from "~/domain/library";
import { suggestParagraphsForProposal } from "~/models/paragraph.server";
import { getProposal, VersionConflictError } from "~/models/proposal.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { performAction, WorkflowRefusedError } from "~/models/workflow.server";
import { DiffView, DraftEditor, type LetterHit, type LibraryHit } from "~/ui/letter-editor";
import { SimilarLetters } from "~/ui/similar-letters";
import { FormError, TextArea } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";

const idSchema = z.coerce.number().int().positive();
const reviewSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("sign"), version: z.coerce.number().int(), printSignerName: z.literal("on").optional() }),
  z.object({ intent: z.literal("return"), version: z.coerce.number().int(), comment: z.string().trim().min(1, "退回修改须填写修改意见").max(2000, "意见过长") }),
  z.object({ intent: z.literal("correct"), version: z.coerce.number().int(), comment: z.string().trim().min(1, "更正须说明原因").max(2000, "说明过长") }),
]);
const reuseSchema = z.object({ intent: z.literal("reuse"), letterId: z.coerce.number().int().positive().max(2147483647), baseRevisionId: z.coerce.number().int().positive().max(2147483647).optional() });
const editSchema = z.object({ intent: z.literal("edit"), op: opSchema, baseRevisionId: z.coerce.number().int(), version: z.coerce.number().int(), q: z.string().max(100).optional(), insertAt: z.string().optional() });

async function load(user: SessionUser, rawId: string | undefined) {
  const id = idSchema.safeParse(rawId);
  if (!id.success) throw new Response("提案不存在。", { status: 404 });
  const db = await getDb();
  const proposal = await getProposal(db, id.data);
  if (!proposal || !(await visibilityFor(db, user)).canSee(proposal)) throw new Response("提案不存在，或您无权查看。", { status: 404 });
  return { db, proposal };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `答复函 · 第${data.proposal.number}号提案` : "答复函" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await load(user, params.id);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) ?? "";
  const letter = await getCurrentLetter(db, proposal.id);
  const template = templateFor(proposal.bureauRole, letter?.templateId);
  const facts = proposalFacts(proposal);
  const canEdit = letter?.state === "draft" && proposal.state === "drafting" && user.role === "handler" && proposal.handlerId === user.id;
  const canStart = !letter?.revision || (letter.state === "signed" && proposal.state === "drafting");
  const now = new Date();
  let hits: LibraryHit[] = [];
  let suggestions: LibraryHit[] = [];
  let letterHits: LetterHit[] = [];
  if (canEdit) {
    const toHit = (r: { id: number; title: string; source: string; snippet: unknown; stale: string[]; version: number }) => ({ id: r.id, title: r.title, source: r.source, snippet: r.snippet as LibraryHit["snippet"], stale: r.stale, version: r.version });
    if (q) hits = (await searchParagraphs(db, { q, limit: 10, today: now, status: "active" })).rows.map(toHit);
    // "108号": offer that letter's whole body and each of its sections.
    if (q && parseReferenceQuery(q)?.kind === "letter") {
      for (const l of await lettersByNumberQuery(db, q)) {
        const { blocks } = await blocksOfLetter(db, l.letterId);
        letterHits.push({ letterId: l.letterId, documentNumber: l.documentNumber, blocks: blocks.length, sections: letterSections(blocks).map((s) => ({ title: s.title, start: s.start, end: s.end })) });
      }
    }
    suggestions = (await suggestParagraphsForProposal(db, proposal, 8)).map((r) => ({ ...toHit(r), why: r.why }));
  }
  const draft = letter?.revision?.draft ?? null;
  // The leader's return comment stays in view until the draft is submitted again.
  const lastVerdict = proposal.state === "drafting" ? (await listEvents(db, proposal.id)).filter((e) => e.kind === "return" || e.kind === "submit").at(-1) : undefined;
  const returned = lastVerdict?.kind === "return" ? { by: lastVerdict.actorName, at: lastVerdict.at, comment: lastVerdict.comment ?? "" } : null;
  const mayStart = canStart && proposal.state === "drafting" && user.role === "handler" && proposal.handlerId === user.id;
  // 参照往年答复: offered while the handler can start or edit the draft.
  const similar = canEdit || mayStart ? (await similarLettersForProposal(db, proposal.id, 5)).map((s) => ({ letterId: s.letterId, documentNumber: s.documentNumber, title: s.title, reason: s.reason, date: s.date, excerpt: s.body.length > 90 ? `${s.body.slice(0, 90)}…` : s.body })) : [];
  // "Every save is a revision with a diff to the previous one": ?rev=<id> shows that diff.
  const revs = letter ? await listRevisions(db, letter.id) : [];
  const revId = Number(url.searchParams.get("rev"));
  const shown = revs.find((r) => r.id === revId);
  const previous = shown ? revs.find((r) => r.revisionNo === shown.revisionNo - 1) : undefined;
  const revisionDiff = shown
    ? { revisionNo: shown.revisionNo, diff: draftDiff(previous ? (await getRevision(db, previous.id))!.draft : null, (await getRevision(db, shown.id))!.draft) }
    : null;
  const review =
    letter?.submittedRevisionId && proposal.state === "in_review"
      ? {
          previous: letter.previousSubmittedRevisionId ? (await getRevision(db, letter.previousSubmittedRevisionId))?.draft ?? null : null,
          current: (await getRevision(db, letter.submittedRevisionId))!.draft,
        }
      : null;
  return {
    user,
    proposal: { id: proposal.id, number: proposal.number, meeting: proposal.meeting, title: proposal.title, state: proposal.state, version: proposal.version, handlerName: proposal.handlerName, bureauRole: proposal.bureauRole },
    template,
    facts,
    letter: letter ? { id: letter.id, round: letter.round, state: letter.state, documentNumber: letter.documentNumber, finalLetter: letter.finalLetter, revisionId: letter.revision?.id ?? null, revisionNo: letter.revision?.revisionNo ?? null } : null,
    draft,
    rounds: await listLetters(db, proposal.id),
    revisions: revs,
    revisionDiff,
    outdated: canEdit && draft ? await outdatedSources(db, draft) : [],
    review: review ? { diff: draftDiff(review.previous, review.current), firstSubmission: !review.previous } : null,
    q,
    hits,
    letterHits,
    suggestions,
    similar,
    returned,
    may: {
      edit: canEdit,
      start: mayStart,
      review: proposal.state === "in_review" && user.role === "leader",
      correct: proposal.state === "signed" && ((user.role === "handler" && proposal.handlerId === user.id) || user.role === "leader"),
    },
  };
}

type EditResult = { error: string | null; fieldErrors?: Record<string, string>; conflict?: { mine: Draft; theirs: Draft; theirsRevisionId: number; by: string | null; diff: ReturnType<typeof draftDiff> }; autosaved?: number; typed?: Draft };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await load(user, params.id);
  const form = await request.formData();
  const back = (extra = "") => `/proposals/${proposal.id}/letter${extra}`;
  try {
    if (form.get("intent") === "reuse") {
      const r = reuseSchema.safeParse(Object.fromEntries(form));
      if (!r.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
      await db.transaction((tx) => draftFromLetter(tx, { proposalId: proposal.id, fromLetterId: r.data.letterId, actor: user, baseRevisionId: r.data.baseRevisionId ?? null }));
      throw redirect(back("?done=reuse"));
    }
    if (form.get("intent") !== "edit") {
      const parsed = reviewSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return data<EditResult>({ error: parsed.error.issues[0].message }, { status: 400 });
      const f = parsed.data;
      await db.transaction(async (tx) => {
        if (f.intent === "start") await startDraft(tx, { proposalId: proposal.id, actor: user });
        else if (f.intent === "sign") await signLetter(tx, { proposalId: proposal.id, expectedVersion: f.version, actor: user, today: today(), printSignerName: f.printSignerName === "on" });
        else if (f.intent === "return") await performAction(tx, { proposalId: proposal.id, expectedVersion: f.version, action: "return", actor: user, input: { comment: f.comment }, today: today() });
        else {
          await performAction(tx, { proposalId: proposal.id, expectedVersion: f.version, action: "correct", actor: user, input: { comment: f.comment }, today: today() });
        }
      });
      void deliverPendingEmails(db);
      throw redirect(back(`?done=${f.intent}`));
    }

    const e = editSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith("b_"))));
    if (!e.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
    const read = readDraftForm(form);
    if (!read.ok) return data<EditResult>({ error: "请按提示修改后再保存。", fieldErrors: read.errors, typed: read.draft }, { status: 400 });
    const { op, baseRevisionId } = e.data;
    const letter = await getCurrentLetter(db, proposal.id);
    if (!letter || letter.state !== "draft") throw new WorkflowRefusedError("没有可编辑的答复稿。");

    let draft = read.draft;
    if (typeof op === "string" && /^(up|down|remove):/.test(op)) {
      const [kind, n] = op.split(":");
      draft = applyDraftOp(draft, { op: kind as "up" | "down" | "remove", index: Number(n) });
    } else if (op.startsWith("add:")) {
      const [, kind, n] = op.split(":");
      draft = applyDraftOp(draft, { op: "add", kind: kind as "paragraph", index: Number(n) });
    } else if (op.startsWith("insert:")) {
      const [, pid] = op.split(":");
      const at = e.data.insertAt && /^\d+$/.test(e.data.insertAt) ? Number(e.data.insertAt) : draft.blocks.length;
      draft = applyDraftOp(draft, { op: "insert", index: at, block: await libraryBlock(db, Number(pid)) });
    } else if (op.startsWith("letter:")) {
      const [, lid, from, to] = op.split(":");
      const { blocks } = await blocksOfLetter(db, Number(lid));
      const at = e.data.insertAt && /^\d+$/.test(e.data.insertAt) ? Number(e.data.insertAt) : draft.blocks.length;
      const picked = blocks.slice(Number(from), Number(to));
      draft = { ...draft, blocks: [...draft.blocks.slice(0, at), ...picked, ...draft.blocks.slice(at)] };
    } else if (op.startsWith("accept:")) {
      draft = await acceptLibraryUpdate(db, draft, op.slice("accept:".length));
    }

    const saved = await db.transaction(async (tx) => {
      const base = op === "keep-mine" ? letter.currentRevisionId! : baseRevisionId;
      const r = await saveDraft(tx, { letterId: letter.id, baseRevisionId: base, draft, actor: user, kind: op === "autosave" ? "autosave" : "save" });
      if (op === "submit") {
        const { version } = (await getProposal(tx, proposal.id))!;
        await submitLetter(tx, { proposalId: proposal.id, expectedVersion: version, actor: user, today: today() });
      }
      return r;
    });
    if (op === "autosave") return { error: null, autosaved: saved.revisionId } satisfies EditResult;
    if (op === "submit") void deliverPendingEmails(db);
    const q = op === "search" ? e.data.q?.trim() ?? "" : (new URL(request.url).searchParams.get("q") ?? "");
    const anchor = op.startsWith("insert:") ? "#block-end" : "";
    throw redirect(back(`?done=${op === "submit" ? "submit" : "save"}${q ? `&q=${encodeURIComponent(q)}` : ""}${anchor}`));
  } catch (err) {
    if (err instanceof DraftConflictError) {
      const mine = readDraftForm(form).draft;
      return data<EditResult>(
        { error: err.message, conflict: { mine, theirs: err.theirs.draft, theirsRevisionId: err.theirs.revisionId, by: err.theirs.by, diff: draftDiff(err.theirs.draft, mine) } },
        { status: 409 },
      );
    }
    if (err instanceof WorkflowRefusedError) return data<EditResult>({ error: err.message, typed: form.get("intent") === "edit" ? readDraftForm(form).draft : undefined }, { status: 400 });
    if (err instanceof VersionConflictError) return data<EditResult>({ error: "其他人刚刚办理了这件提案，请刷新页面查看最新状态。" }, { status: 409 });
    throw err;
  }
}

const DONE: Record<string, string> = {
  save: "已保存。",
  submit: "已提交签发，等待领导审签。",
  start: "已开始起草。",
  reuse: "已按所选答复函生成正文并保存：称呼、案由和提案号已换成本提案的。请逐段修改、删除或补充。",
  sign: "已签发：文号和成文日期已生成，答复函已定稿。",
  return: "已退回修改。",
  correct: "已发起更正：请在新的答复稿中修改后重新提交签发。",
};

export default function LetterPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditResult | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const done = params.get("done");
  const startDraft = actionData?.typed ?? d.draft;

  return (
    <>
      <PageHeader
        title={`答复函：第${d.proposal.number}号提案`}
        subtitle={
          <>
            {d.proposal.meeting} · 《{d.proposal.title}》 · <StateBadge label={STATE_LABELS[d.proposal.state as ProposalState] ?? d.proposal.state} tone="blue" />
            {d.letter?.documentNumber ? <span className="ml-2 font-medium">{d.letter.documentNumber}</span> : null}
          </>
        }
        actions={
          <>
            <Link to={`/proposals/${d.proposal.id}`} className="btn-secondary">
              返回提案
            </Link>
            {d.letter ? (
              <a href={`/proposals/${d.proposal.id}/letter.docx`} className="btn-secondary" download>
                {d.letter.state === "signed" ? "下载答复函 (DOCX)" : "下载草稿 (DOCX)"}
              </a>
            ) : null}
          </>
        }
      />
      {done && DONE[done] ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          {DONE[done]}
        </div>
      ) : null}
      <FormError message={actionData?.error && !actionData.autosaved ? actionData.error : null} />
      {d.returned ? (
        <section role="note" aria-label="退回修改意见" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="font-medium">
            {d.returned.by ?? "领导"}退回修改（{new Date(d.returned.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" })}）：
          </span>
          {d.returned.comment}
        </section>
      ) : null}

      {actionData?.conflict ? <ConflictPanel conflict={actionData.conflict} proposalVersion={d.proposal.version} /> : null}

      {!d.letter?.revisionId && !d.may.start ? (
        <p className="card text-slate-600">{d.proposal.state === "drafting" || d.proposal.state === "assigned" ? `尚未起草。由承办人${d.proposal.handlerName ?? ""}签收后起草。` : "尚无答复稿。"}</p>
      ) : null}

      {d.similar.length && (d.may.start || d.may.edit) ? <SimilarLetters letters={d.similar} baseRevisionId={d.may.edit ? d.letter?.revisionId ?? null : null} hasBody={Boolean(d.draft?.blocks.length) && d.may.edit} busy={busy} /> : null}

      {d.may.start ? (
        <Form method="post" className="card mb-4">
          <input type="hidden" name="intent" value="start" />
          <p className="mb-3 text-sm text-slate-700">
            {d.letter?.state === "signed" ? `第 ${d.letter.round} 稿已签发。开始新一稿（以已签发文本为基础修改，旧稿保留在历史中）。` : "从模板开始起草本提案的答复函。"}
          </p>
          <button type="submit" className="btn-primary" disabled={busy}>
            开始起草
          </button>
        </Form>
      ) : null}

      {d.may.edit && startDraft && d.letter?.revisionId ? (
        <DraftEditor
          key={`${d.letter.id}`}
          draft={startDraft}
          baseRevisionId={d.letter.revisionId}
          proposalVersion={d.proposal.version}
          template={d.template}
          facts={d.facts}
          q={d.q}
          hits={d.hits}
          letterHits={d.letterHits}
          suggestions={d.suggestions}
          outdated={d.outdated}
          fieldErrors={actionData?.fieldErrors ?? {}}
          busy={busy}
        />
      ) : d.letter ? (
        <ReadOnlyLetter />
      ) : null}

      {d.may.review ? <ReviewPanel /> : null}
      {d.may.correct ? (
        <Form method="post" className="card no-print mt-4 space-y-2" noValidate>
          <h2 className="font-semibold">更正</h2>
          <p className="text-sm text-slate-600">已签发的答复函不能直接修改。发起更正后生成新一稿，修改后重新提交签发；原签发件保留在历史中。</p>
          <input type="hidden" name="intent" value="correct" />
          <input type="hidden" name="version" value={d.proposal.version} />
          <TextArea label="更正原因" name="comment" rows={2} required />
          <button type="submit" className="btn-secondary" disabled={busy}>
            发起更正
          </button>
        </Form>
      ) : null}

      {d.revisionDiff ? (
        <section id="rev" className="card no-print mt-4" aria-label="版本差异">
          <h2 className="mb-2 font-semibold">第 {d.revisionDiff.revisionNo} 版与上一版的差异</h2>
          <DiffView parts={d.revisionDiff.diff} />
        </section>
      ) : null}
      {d.revisions.length ? (
        <details className="card no-print mt-4" open={Boolean(d.revisionDiff)}>
          <summary className="cursor-pointer font-semibold">保存记录（第 {d.letter?.round} 稿，共 {d.revisions.length} 次）</summary>
          <ul className="mt-2 space-y-1 text-sm">
            {d.revisions.map((r) => (
              <li key={r.id}>
                <Link to={`?rev=${r.id}#rev`}>第 {r.revisionNo} 版</Link> · {r.by ?? "系统"} · {new Date(r.createdAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })} ·{" "}
                {({ created: "新建", save: "保存", autosave: "自动保存", signed: "签发定稿", imported: "导入", repair: "修复乱码" } as Record<string, string>)[r.kind] ?? r.kind}
              </li>
            ))}
          </ul>
          {d.rounds.length > 1 ? (
            <p className="mt-2 text-sm text-slate-600">
              历次稿件：
              {d.rounds.map((r) => `第 ${r.round} 稿${r.documentNumber ? `（${r.documentNumber}）` : ""}${r.state === "signed" ? "已签发" : "起草中"}`).join("；")}
            </p>
          ) : null}
        </details>
      ) : null}
    </>
  );
}

function ReadOnlyLetter() {
  const d = useLoaderData<typeof loader>();
  const letter = useMemo(() => {
    if (d.letter?.finalLetter) return d.letter.finalLetter;
    if (!d.draft) return null;
    const r = tryBuildLetter(d.template, draftToLetterInput(d.facts, d.draft));
    return r.ok ? r.letter : null;
  }, [d]);
  if (!letter) return <p className="card text-slate-600">答复稿暂时无法预览。</p>;
  return (
    <section aria-label="答复函" className="overflow-x-auto rounded border border-slate-200 bg-slate-100 p-4">
      <LetterPreview letter={letter} />
    </section>
  );
}

function ReviewPanel() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditResult | undefined;
  const busy = useNavigation().state !== "idle";
  const problems = d.draft ? draftProblems(d.draft, { requireOutcome: d.template.kind === "reply" && d.template.requireOutcome, requireDisclosure: d.template.kind === "reply" }) : [];
  return (
    <section className="card no-print mt-4 space-y-4" aria-label="审签">
      <h2 className="text-lg font-semibold">审签</h2>
      {d.review ? (
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{d.review.firstSubmission ? "首次提交的内容" : "与上次提交相比的修改"}</h3>
          <DiffView parts={d.review.diff} />
        </div>
      ) : null}
      <details open>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">答复函（按将要签发的样式）</summary>
        <div className="mt-2">
          <ReadOnlyLetter />
        </div>
      </details>
      {problems.length ? (
        <ul className="list-disc pl-5 text-sm text-red-800">
          {problems.map((p) => (
            <li key={p.field + p.message}>{p.message}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="sign" />
          <input type="hidden" name="version" value={d.proposal.version} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="printSignerName" defaultChecked={d.draft?.printSignerName ?? d.template.printSignerName} /> 在“领导签字：”后打印签发人姓名（不勾选则留空，手写签名）
          </label>
          <p className="text-xs text-slate-500">签发时自动分配下一个{d.template.numberPrefix}文号，以今天为成文日期，并定稿。</p>
          <button type="submit" className="btn-primary" disabled={busy}>
            签发
          </button>
        </Form>
        <Form method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="return" />
          <input type="hidden" name="version" value={d.proposal.version} />
          <TextArea label="修改意见" name="comment" rows={3} error={actionData?.error === "退回修改须填写修改意见" ? actionData.error : undefined} />
          <button type="submit" className="btn-secondary" disabled={busy}>
            退回修改
          </button>
        </Form>
      </div>
    </section>
  );
}

function ConflictPanel({ conflict, proposalVersion }: { conflict: NonNullable<EditResult["conflict"]>; proposalVersion: number }) {
  return (
    <section className="card mb-4 border-amber-400 bg-amber-50" role="alert" aria-label="保存冲突">
      <h2 className="font-semibold text-amber-900">保存冲突</h2>
      <p className="mb-2 text-sm">{conflict.by ?? "其他人"}刚刚保存了新的版本。下面是对方版本（删除线）与您的版本（下划线）的差异：</p>
      <DiffView parts={conflict.diff} />
      <div className="mt-3 flex flex-wrap gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="op" value="keep-mine" />
          <input type="hidden" name="baseRevisionId" value={conflict.theirsRevisionId} />
          <input type="hidden" name="version" value={proposalVersion} />
          <input type="hidden" name="draftJson" value={JSON.stringify(conflict.mine)} />
          <button type="submit" className="btn-primary">
            保留我的版本
          </button>
        </Form>
        <a href="?" className="btn-secondary">
          放弃我的修改，使用对方版本
        </a>
      </div>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
