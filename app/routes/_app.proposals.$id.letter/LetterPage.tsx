/**
 * 答复函: the handler drafts here (a similar past reply in one click, library paragraphs,
 * free text, headings, live preview, save + autosave with conflict detection); the leader
 * reviews the diff since the last submission and returns or signs; a signed letter is shown
 * frozen. Loader and action: letter.server.ts.
 */
import { Form, Link, useActionData, useBlocker, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { STATE_LABELS, type ProposalState } from "~/domain/workflow";
import { opValue } from "~/domain/draft-form";
import { PrintPreview } from "~/ui/print-preview";
import { DiffView, DraftEditor } from "~/ui/letter-editor";
import { FormError, showWhenRefused, TextArea } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import { SimilarLetters } from "~/ui/similar-letters";
import type { action, EditResult, loader } from "./letter.server";
import { formatTime } from "~/ui/datetime";
import { StampInputs } from "~/ui/workflow-forms";
import { ConflictPanel, ReadOnlyLetter, ReviewPanel } from "./panels";

const DONE: Record<string, string> = {
  save: "已保存。",
  restored: "已恢复：所选版本的全文已另存为最新的一版，之前的各版仍在保存记录中。",
  merged: "已保存：您打开本页后，这份答复稿在别处（其他人，或您的另一个窗口）也保存过修改，改的是其他地方，双方的修改都已保留。请核对全文。",
  submit: "已提交签发，等待领导审签。",
  start: "已开始起草。",
  reuse: "已按所选答复函生成正文并保存：称呼、案由和提案号已换成本提案的。请逐段修改、删除或补充。",
  sign: "已签发：文号和成文日期已生成，已定稿。",
  return: "已退回修改。",
  correct: "已发起更正：请在新的答复稿中修改后重新提交签发。",
  restart: "已开始再办理的新一稿：以上一次答复为基础修改后，重新提交签发。",
};
/** Said as a warning, not a success: the typing was saved, the step asked for was not made. */
const NOT_SUBMITTED: Record<string, string> = {
  "fix-missed": "已保存，但未改正：这处文字在校对之后已被改动。请按该段下方最新的校对结果再改正。",
  "merged-unsent":
    "答复稿已保存，但尚未提交签发：您打开本页后，这份答复稿在别处（其他人，或您的另一个窗口）也保存过修改，已与您的修改合并（改的是其他地方）。请核对全文后再点“保存并提交签发”。",
  stale: "答复稿已保存，但尚未提交签发：您打开本页后，这件提案刚被其他人修改过（如案由、提案人、会办意见或承办人）。请核对页面上的最新内容，再点“保存并提交签发”。",
};

export default function LetterPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditResult | undefined;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  // The editor's progress, for the reuse forms above it: an autosave moves the base revision. It
  // holds for this page's data only: a save, a submit or any reload starts from the server again.
  const [progress, setProgress] = useState<{ data: typeof d; base: number; dirty: boolean } | null>(null);
  const onProgress = useCallback((p: { base: number; dirty: boolean }) => setProgress({ data: d, ...p }), [d]);
  const editing = progress && progress.data === d ? progress : null;
  // Leaving the page (a link, the save history, 返回提案) with unsaved typing asks first. Here, not
  // in the editor: the editor remounts on every save, and a blocker must outlive that.
  // While the editor's own save is on its way the typing is being saved: leaving then (退出 clicked
  // right after 保存) is not blocked, or the save's arrival would reset the prompt and drop the click.
  const savingEdits = busy && navigation.formData?.get("intent") === "edit";
  // 放弃我的修改 on the conflict panel: the typing is dropped on purpose, then the page reloads.
  const [discarding, setDiscarding] = useState(false);
  // A refused save's typing lives only in this page until it is resolved: in the conflict panel (保留我的
  // 版本 sends it) or in the 未保存的内容 box. The editor below already shows the saved version, so it
  // is not "dirty" — but reloading or leaving then lost the typing without a word (a review).
  const refusedTyping = Boolean(actionData?.conflict || actionData?.unsaved?.length) && !discarding;
  const unsaved = (Boolean(editing?.dirty) || refusedTyping) && !savingEdits && !discarding;
  useEffect(() => {
    if (!refusedTyping) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [refusedTyping]);
  const navigate = useNavigate();
  useEffect(() => {
    if (discarding) navigate("?", { replace: true });
  }, [discarding, navigate]);
  // the page's data came back (theirs): the prompt guards new typing again
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on each new load of the page's data
  useEffect(() => setDiscarding(false), [d]);
  // "已保存。" stays only until the clerk types again.
  const done = params.get("done") === "save" && editing?.dirty ? null : params.get("done");
  const doneNote = done && Object.hasOwn(DONE, done) && !actionData?.error && !actionData?.notSaved ? DONE[done] : null;
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => unsaved && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );

  return (
    <>
      <PageHeader
        title={`${d.docName}：第${d.proposal.number}号提案`}
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
                {d.letter.state === "signed" ? `下载${d.docName} (DOCX)` : "下载草稿 (DOCX)"}
              </a>
            ) : null}
          </>
        }
      />
      {/* a notice in the address (?done=save) is of an earlier step: not beside what came after it */}
      {actionData?.notSaved ? (
        <div role="alert" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          修改尚未保存：段落的移动、删除或添加已显示在下方，请点击“保存”（离开本页前未保存的修改会丢失）。
        </div>
      ) : null}
      {/* one live region, always there: a screen reader says the text that comes into it (a region
          added with its text already in it is often not read) */}
      <div role="status" className={doneNote ? "no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800" : "sr-only"}>
        {doneNote}
      </div>
      {done && Object.hasOwn(NOT_SUBMITTED, done) ? (
        <div role="alert" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {NOT_SUBMITTED[done]}
        </div>
      ) : null}
      <FormError message={actionData?.error && !actionData.autosaved ? actionData.error : null} />
      {actionData?.unsaved?.length ? (
        <section aria-label="未保存的内容" className="no-print card mb-4 border-amber-300 bg-amber-50 text-sm text-amber-900" ref={showWhenRefused} tabIndex={-1}>
          <h2 className="mb-1 font-semibold">未保存的内容（可复制留用）</h2>
          <textarea readOnly className="input h-40 bg-white" aria-label="未保存的内容" value={actionData.unsaved.join("\n\n")} />
        </section>
      ) : null}
      {d.returned ? (
        <section role="note" aria-label="退回修改意见" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="font-medium">
            {d.returned.by ?? "领导"}退回修改（{formatTime(d.returned.at, "short")}）：
          </span>
          {d.returned.comment}
        </section>
      ) : null}

      {blocker.state === "blocked" ? (
        <div
          role="alertdialog"
          aria-label="离开本页"
          className="card fixed inset-x-0 bottom-4 z-50 mx-auto flex max-w-xl flex-wrap items-center gap-2 border-amber-400 bg-amber-50 text-sm shadow-lg"
        >
          <span>答复稿有尚未保存的修改，离开本页会丢失这些修改。</span>
          <button type="button" className="btn-secondary" onClick={() => blocker.reset()}>
            留在本页
          </button>
          <button type="button" className="btn-danger" onClick={() => blocker.proceed()}>
            放弃修改并离开
          </button>
        </div>
      ) : null}
      {actionData?.conflict ? (
        <ConflictPanel
          key={actionData.conflict.theirsRevisionId}
          conflict={actionData.conflict}
          proposalVersion={d.proposal.version}
          busy={busy}
          onDiscard={() => setDiscarding(true)}
        />
      ) : null}

      {!d.letter?.revisionId && d.may.acknowledge ? (
        // the handler, before 签收: told what to do, not about "the handler" in the third person
        <p className="card text-slate-700">
          请先签收本提案，签收后即可起草答复函。{" "}
          <a href={`/proposals/${d.proposal.id}`} className="btn-primary ml-2">
            前往签收
          </a>
        </p>
      ) : !d.letter?.revisionId && !d.may.start ? (
        <p className="card text-slate-600">
          {d.proposal.state === "drafting" || d.proposal.state === "assigned" ? `尚未起草。由承办人${d.proposal.handlerName ?? ""}签收后起草。` : "尚无答复稿。"}
        </p>
      ) : null}

      {d.may.restart ? (
        <Form method="post" className="card no-print mb-4 space-y-2">
          <h2 className="font-semibold">再办理</h2>
          <p className="text-sm text-slate-600">提案者对答复不满意，本提案须再办理。重新起草后生成新一稿（以上一次答复为基础修改），修改后重新提交签发；原答复保留在历史中。</p>
          <input type="hidden" name="intent" value="restart" />
          <StampInputs stamp={d.proposal} />
          <button type="submit" className="btn-primary" disabled={busy}>
            重新起草
          </button>
        </Form>
      ) : null}

      {d.may.start || d.may.edit ? (
        <SimilarLetters
          letters={d.similar}
          baseRevisionId={d.may.edit ? (editing?.base ?? d.letter?.revisionId ?? null) : null}
          // the DraftEditor's form (useForm's id), when it is shown below
          editorFormId={d.may.edit && d.draft && d.letter?.revisionId ? `draft-${d.letter.revisionId}` : null}
          hasBody={Boolean(d.draft?.blocks.length) && d.may.edit}
          busy={busy}
        />
      ) : null}

      {d.may.start ? (
        <Form method="post" className="card mb-4">
          <input type="hidden" name="intent" value="start" />
          <p className="mb-3 text-sm text-slate-700">
            {d.letter?.state === "signed" ? `第 ${d.letter.round} 稿已签发。开始新一稿（以已签发文本为基础修改，旧稿保留在历史中）。` : `从模板开始起草本提案的${d.docName}。`}
          </p>
          <button type="submit" className="btn-primary" disabled={busy}>
            开始起草
          </button>
        </Form>
      ) : null}

      {d.may.edit && d.draft && d.letter?.revisionId ? (
        <DraftEditor
          // A new revision from the server (save, insert, a colleague's version) starts the form afresh.
          key={`${d.letter.id}:${d.letter.revisionId}`}
          draft={d.draft}
          lastResult={actionData?.result}
          baseRevisionId={d.letter.revisionId}
          proposalVersion={d.proposal.version}
          seenEvent={d.proposal.seenEvent}
          template={d.template}
          facts={d.facts}
          q={d.q}
          hits={d.hits}
          letterHits={d.letterHits}
          suggestions={d.suggestions}
          outdated={d.outdated}
          retired={d.retired}
          busy={busy}
          locked={savingEdits ? "saving" : actionData?.conflict ? "conflict" : null}
          today={d.today}
          missingOpinions={d.missingOpinions}
          lastKept={d.lastKept}
          onProgress={onProgress}
        />
      ) : d.letter && !d.may.review ? (
        // the leader reads it in 审签 below (it was on the page twice)
        <ReadOnlyLetter />
      ) : null}
      {d.letter?.revisionId || d.letter?.state === "signed" ? (
        <PrintPreview
          // a new revision is another print: the panel loads afresh
          key={`${d.letter.id}:${d.letter.revisionId}:${d.letter.state}`}
          proposalId={d.proposal.id}
          note={d.letter.state === "signed" ? "即签发件" : d.may.edit ? "按最近一次保存的稿件" : "按当前稿件"}
        />
      ) : null}

      {d.may.review ? <ReviewPanel /> : null}
      {d.may.correct ? (
        <Form method="post" className="card no-print mt-4 space-y-2" noValidate>
          <h2 className="font-semibold">更正</h2>
          <p className="text-sm text-slate-600">已签发的{d.docName}不能直接修改。发起更正后生成新一稿，修改后重新提交签发；原签发件保留在历史中。</p>
          <input type="hidden" name="intent" value="correct" />
          <StampInputs stamp={d.proposal} />
          <TextArea
            label="更正原因"
            name="comment"
            rows={2}
            required
            defaultValue={actionData?.review?.intent === "correct" ? actionData.review.comment : undefined}
            error={actionData?.review?.intent === "correct" ? (actionData.review.error ?? undefined) : undefined}
          />
          <button type="submit" className="btn-secondary" disabled={busy}>
            发起更正
          </button>
        </Form>
      ) : null}

      {d.revisionDiff ? (
        <section id="rev" className="card no-print mt-4" aria-label="版本差异">
          <h2 className="mb-2 font-semibold">第 {d.revisionDiff.revisionNo} 版与上一版的差异</h2>
          <DiffView parts={d.revisionDiff.diff} />
          {d.may.edit && d.draft && d.letter?.state === "draft" && d.letter.revisionId && d.letter.revisionId !== d.revisionDiff.id ? (
            <div className="mt-3 flex flex-wrap items-center gap-3">
              {/* a button of the editor's form: what is typed there (saved or not) is saved first */}
              <button
                type="submit"
                form={`draft-${d.letter.revisionId}`}
                name="op"
                value={opValue({ op: "restore", revisionId: d.revisionDiff.id })}
                className="btn-secondary"
                disabled={busy}
              >
                恢复为第 {d.revisionDiff.revisionNo} 版
              </button>
              <span className="text-sm text-slate-600">将该版的全文另存为最新的一版；当前内容（包括尚未保存的修改）先保存，仍在保存记录中。</span>
            </div>
          ) : null}
        </section>
      ) : null}
      {d.revisions.length ? (
        <details className="card no-print mt-4" open={Boolean(d.revisionDiff)}>
          <summary className="cursor-pointer font-semibold">
            保存记录（第 {d.letter?.round} 稿，共 {d.revisions.length} 次）
          </summary>
          <ul className="mt-2 space-y-1 text-sm">
            {d.revisions.map((r) => (
              <li key={r.id}>
                <Link to={`?rev=${r.id}#rev`}>第 {r.revisionNo} 版</Link> · {r.by ?? "系统"} · {formatTime(r.createdAt, "second")} ·{" "}
                {(
                  { created: "新建", save: "保存", autosave: "自动保存", signed: "签发定稿", imported: "导入", repair: "修复乱码", reuse: "参照往年答复" } as Record<string, string>
                )[r.kind] ?? r.kind}
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
