/** Parts of the 答复函 page (LetterPage.tsx): the letter read-only, the leader's 审签, a save conflict. */
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { blockText, draftProblems, draftToLetterInput } from "~/domain/draft";
import { stalenessOf } from "~/domain/staleness";
import { tryBuildLetter } from "~/domain/letter";
import { LetterPreview } from "~/letters/LetterPreview";
import { DiffView } from "~/ui/letter-editor";
import { showWhenRefused, TextArea } from "~/ui/form";
import { ReviewFindings } from "~/ui/proofread";
import type { action, EditResult, loader } from "./letter.server";
import { StampInputs } from "~/ui/workflow-forms";

export function ReadOnlyLetter() {
  const d = useLoaderData<typeof loader>();
  const letter = useMemo(() => {
    if (d.letter?.finalLetter) return d.letter.finalLetter;
    if (!d.draft) return null;
    const r = tryBuildLetter(d.template, draftToLetterInput(d.facts, d.draft));
    return r.ok ? r.letter : null;
  }, [d]);
  if (!letter) return <p className="card text-slate-600">答复稿暂时无法预览。</p>;
  return (
    // on a phone or at 200 % zoom the sheet reflows to the screen, as on the public site (each line
    // was scrolled sideways); named apart from the page's 答复函 section
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table in it still scrolls, by keyboard too (WCAG 2.1.1)
    <section tabIndex={0} aria-label={`${d.docName}全文`} className="overflow-x-auto rounded border border-slate-200 bg-slate-100 p-4 max-[820px]:p-0">
      <LetterPreview letter={letter} className="letter-reflow" />
    </section>
  );
}

/**
 * 时效: library paragraphs whose words date them (今年3月 written in 2021, a plan period that has
 * ended, figures 截至2020年), as the editor marks them for the handler — the leader signed a 2026
 * letter with 2020 figures and was told nothing (a review).
 */
function StaleBlocks() {
  const d = useLoaderData<typeof loader>();
  const stale = (d.draft?.blocks ?? []).flatMap((b, i) => {
    if (!b.source || b.type === "heading") return [];
    const r = stalenessOf({ text: blockText(b), asOf: b.source.asOf ?? undefined, today: d.today });
    return r.stale ? [{ index: i, title: b.source.title, reasons: r.reasons }] : [];
  });
  if (!stale.length) return null;
  return (
    <section aria-label="时效提示" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
      <h3 className="font-medium">时效提示（{stale.length} 段引用的内容可能已过时，请确认）</h3>
      <ul className="mt-1 list-disc pl-5">
        {stale.map((s) => (
          <li key={s.index}>
            第 {s.index + 1} 段（段落库：{s.title}）：{s.reasons.join("；")}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReviewPanel() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditResult | undefined;
  const busy = useNavigation().state !== "idle";
  const problems = d.draft
    ? draftProblems(d.draft, { requireOutcome: d.template.kind === "reply" && d.template.requireOutcome, requireDisclosure: d.template.kind === "reply" })
    : [];
  return (
    <section className="card no-print mt-4 space-y-4" aria-label="审签">
      <h2 className="text-lg font-semibold">审签</h2>
      {d.review ? (
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">
            {d.review.firstSubmission
              ? "首次提交的内容"
              : d.review.reused
                ? "与参照的往年答复相比的修改（首次提交）"
                : d.review.signedAs !== null
                  ? `与已签发的${d.review.signedAs || "上一稿"}相比的修改`
                  : "与上次提交相比的修改"}
          </h3>
          <DiffView parts={d.review.diff} />
        </div>
      ) : null}
      <details open>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">{d.docName}（按将要签发的样式）</summary>
        <div className="mt-2">
          <ReadOnlyLetter />
        </div>
      </details>
      <ReviewFindings findings={d.proofread} keptNote={d.keptFindingsNote} />
      <StaleBlocks />
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
          <StampInputs stamp={d.proposal} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="printSignerName" defaultChecked={d.draft?.printSignerName ?? d.template.printSignerName} />{" "}
            在“领导签字：”后打印签发人姓名（不勾选则留空，手写签名）
          </label>
          {d.missingOpinions.length ? (
            <label className="flex items-start gap-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
              <input type="checkbox" name="confirmMissingOpinions" className="mt-1" />
              <span>尚未收到{d.missingOpinions.join("、")}的会办意见。确认不等会办意见即签发（将记入办理历史）。</span>
            </label>
          ) : null}
          <p className="text-xs text-slate-500">
            签发时自动分配下一个{d.template.numberPrefix}文号{d.nextNumber ? `（现在签发为 ${d.nextNumber.number}，以签发时为准）` : ""}，以今天为成文日期，并定稿。
          </p>
          {d.nextNumber && !d.nextNumber.begun ? (
            <p role="note" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
              本年度的{d.template.numberPrefix}文号尚未开始：管理员还没有设定下一个号，本系统今年也还没有签发过，签发将从 {d.nextNumber.number}{" "}
              开始。本局其他公文也使用这一文号序列的，请先请管理员在“管理 → 发文字号”中设定下一个号。
            </p>
          ) : null}
          <button type="submit" className="btn-primary" disabled={busy}>
            签发
          </button>
        </Form>
        <Form method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="return" />
          <StampInputs stamp={d.proposal} />
          <TextArea
            label="修改意见"
            name="comment"
            rows={3}
            defaultValue={actionData?.review?.intent === "return" ? actionData.review.comment : undefined}
            error={actionData?.review?.intent === "return" ? (actionData.review.error ?? undefined) : undefined}
          />
          <button type="submit" className="btn-secondary" disabled={busy}>
            退回修改
          </button>
        </Form>
      </div>
    </section>
  );
}

export function ConflictPanel({
  conflict,
  proposalVersion,
  busy,
  onDiscard,
}: {
  conflict: NonNullable<EditResult["conflict"]>;
  proposalVersion: number;
  busy: boolean;
  onDiscard: () => void;
}) {
  return (
    <section className="card mb-4 border-amber-400 bg-amber-50" role="alert" aria-label="保存冲突" ref={showWhenRefused} tabIndex={-1}>
      <h2 className="font-semibold text-amber-900">保存冲突</h2>
      {conflict.merged ? (
        <p className="mb-2 text-sm">
          {conflict.self ? "您在另一个窗口（或标签页）中刚刚保存了新的版本。" : `${conflict.by ?? "其他人"}刚刚保存了新的版本。`}
          下面是{conflict.self ? "那个版本" : "对方版本"}（删除线）加上您的修改（下划线）后的样子；{conflict.self ? "那个窗口" : "对方"}在其他地方的修改都会保留。
          {conflict.overlaps.length ? <strong>双方都修改了：{conflict.overlaps.join("、")}；“保留我的版本”在这些地方以您的为准。</strong> : null}
        </p>
      ) : (
        <p className="mb-2 text-sm">
          {conflict.self
            ? "您在另一个窗口（或标签页）中刚刚保存了新的版本。下面是那个版本（删除线）与本页版本（下划线）的差异；“保留我的版本”将以本页版本整体替换："
            : `${conflict.by ?? "其他人"}刚刚保存了新的版本。下面是对方版本（删除线）与您的版本（下划线）的差异；“保留我的版本”将以您的版本整体替换：`}
        </p>
      )}
      <DiffView parts={conflict.diff} />
      <div className="mt-3 flex flex-wrap gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="op" value="keep-mine" />
          <input type="hidden" name="baseRevisionId" value={conflict.theirsRevisionId} />
          <input type="hidden" name="version" value={proposalVersion} />
          <input type="hidden" name="draftJson" value={JSON.stringify(conflict.mine)} />
          <button type="submit" className="btn-primary" disabled={busy}>
            保留我的版本
          </button>
        </Form>
        {/* a choice made here: not asked again by the leave-page prompt (without JavaScript, a plain reload) */}
        <a
          href="?"
          className="btn-secondary"
          onClick={(e) => {
            e.preventDefault();
            onDiscard();
          }}
        >
          放弃我的修改，使用对方版本
        </a>
      </div>
    </section>
  );
}
