/**
 * The draft editor: a conform form. Without JavaScript every button posts (list intents —
 * add, remove, reorder — come back from the server unsaved, via submission.reply(); library
 * inserts and saves are typed `op`s). With JavaScript conform applies list intents in the
 * browser, and the page adds the live preview, autosave and an unsaved-changes warning.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useFetcher, useLocation } from "@remix-run/react";
import { SelectField } from "~/ui/form";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import {
  blockText,
  draftProblems,
  draftToLetterInput,
  isEditedFromLibrary,
  newBlockId,
  OUTCOME_LABELS,
  foldUnchanged,
  textDiff,
  type DiffPart,
  type Draft,
  type DraftBlock,
  type ProposalFacts,
} from "~/domain/draft";
import { draftFormSchema, draftFromForm, formValueOf, newBlockValue, opValue } from "~/domain/draft-form";
import { stalenessOf } from "~/domain/staleness";
import { DISCLOSURES, OUTCOMES, tryBuildLetter, type LetterTemplate } from "~/domain/letter";
import { LetterPreview } from "~/letters/LetterPreview";
import { keptFindingsSummary, proofreadDraftLetter } from "~/domain/proofread-draft";
import { BlockFindings, ProofreadSummary } from "./proofread";

export type LibraryHit = {
  id: number;
  title: string;
  source: string;
  snippet: { segments: { text: string; hit?: boolean }[]; clippedStart: boolean; clippedEnd: boolean } | null;
  stale: string[];
  version: number;
  /** Why it is suggested ("相关：专精特新；相近答复 东工信函〔2021〕108号 用过"). */
  why?: string;
};

/** A past reply found by its 文号: its whole body or one section can be inserted. */
export type LetterHit = { letterId: number; documentNumber: string; blocks: number; sections: { title: string; start: number; end: number }[] };

type Outdated = {
  index: number;
  blockId: string;
  title: string;
  fromVersion: number;
  toVersion: number;
  toVersionId: number;
  newText: string;
  currentText: string;
  edited: boolean;
};

export function DiffView({ parts }: { parts: DiffPart[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled without a mouse (WCAG 2.1.1)
    <section tabIndex={0} aria-label="修改对比" className="max-h-72 overflow-auto whitespace-pre-wrap rounded border border-slate-200 bg-white p-2 text-sm leading-relaxed">
      {foldUnchanged(parts).map((p, i) =>
        p.folded ? (
          <span key={i} className="mx-1 text-xs text-slate-500">
            …（未改动的 {p.folded} 字）…
          </span>
        ) : p.added ? (
          <ins key={i} className="bg-green-100 text-green-900">
            <span className="sr-only">［新增：</span>
            {p.value}
            <span className="sr-only">］</span>
          </ins>
        ) : p.removed ? (
          <del key={i} className="bg-red-100 text-red-800">
            <span className="sr-only">［删除：</span>
            {p.value}
            <span className="sr-only">］</span>
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </section>
  );
}

function Snippet({ s }: { s: LibraryHit["snippet"] }) {
  if (!s) return null;
  return (
    <span>
      {s.clippedStart ? "…" : ""}
      {s.segments.map((seg, i) => (seg.hit ? <mark key={i}>{seg.text}</mark> : <span key={i}>{seg.text}</span>))}
      {s.clippedEnd ? "…" : ""}
    </span>
  );
}

/** Fields of the editor's form that are not part of the draft. */
const NOT_DRAFT_FIELDS = new Set(["q", "insertAt", "keepFindingsReason", "confirmMissingOpinions"]);

export function DraftEditor(props: {
  draft: Draft;
  lastResult?: SubmissionResult<string[]>;
  baseRevisionId: number;
  proposalVersion: number;
  /** The proposal's last history entry when the page was shown (a refusal names what happened since). */
  seenEvent?: number;
  template: LetterTemplate;
  facts: ProposalFacts;
  q: string;
  hits: LibraryHit[];
  letterHits: LetterHit[];
  suggestions: LibraryHit[];
  outdated: Outdated[];
  /** Blocks drawn from library paragraphs retired since (a past letter reused whole). */
  retired: { index: number; blockId: string; paragraphId: number; title: string }[];
  busy: boolean;
  /**
   * The fields take no typing: while the editor's own save is on its way (its answer rebuilds the
   * form from the server, so anything typed meanwhile would vanish), or while a save conflict waits
   * for a choice (保留我的版本 posts the text as it was when the conflict came).
   */
  locked?: "saving" | "conflict" | null;
  /** The letter's date for the staleness check (today while drafting). */
  today: string;
  /** 会办 units whose opinion has not arrived: submitting asks for a confirmation. */
  missingOpinions?: string[];
  /** After 退回: the findings kept last time and the reason, offered again while the same findings stand. */
  lastKept?: { summary: string; reason: string } | null;
  /** The revision the next save builds on (autosaves move it) and whether typing is unsaved: the page's other forms need both. */
  onProgress?: (p: { base: number; dirty: boolean }) => void;
}) {
  // The form shown again with what was posted (a refused save, a list intent without JavaScript):
  // it keeps the revision and proposal version it was opened on, not the fresh ones the page was
  // rendered with — else the next 保存 would overwrite a colleague's save made meanwhile unseen.
  const posted = props.lastResult?.initialValue as Record<string, unknown> | null | undefined;
  const postedNumber = (k: string) => (typeof posted?.[k] === "string" && /^\d+$/.test(posted[k] as string) ? Number(posted[k]) : null);
  const [base, setBase] = useState(postedNumber("baseRevisionId") ?? props.baseRevisionId);
  const proposalVersion = postedNumber("version") ?? props.proposalVersion;
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const autosave = useFetcher<{ error: string | null; autosaved?: number; conflict?: { self?: boolean }; result?: SubmissionResult<string[]> }>();
  const isReply = props.template.kind === "reply";
  const [form, fields] = useForm({
    id: `draft-${props.baseRevisionId}`,
    lastResult: props.lastResult,
    defaultValue: { ...formValueOf(props.draft), baseRevisionId: String(props.baseRevisionId), version: String(props.proposalVersion), q: props.q },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: draftFormSchema }),
  });
  // Since the last save or autosave: what the preview shows and autosave sends.
  const [dirty, setDirty] = useState(false);
  const draft = useMemo(() => draftFromForm((form.value ?? {}) as Record<string, unknown>), [form.value]);
  // library paragraphs the letter already holds (inserted, or linked when a past letter was reused), by
  // their first block's number: a list offering them again said nothing, and one inserted twice was printed twice
  const inDraft = useMemo(() => {
    const at = new Map<number, number>();
    draft.blocks.forEach((b, i) => {
      if (b.source && !at.has(b.source.paragraphId)) at.set(b.source.paragraphId, i + 1);
    });
    return at;
  }, [draft.blocks]);
  const blocks = fields.blocks.getFieldList();

  // What the last autosave sent, and the form now: typing while it was on its way stays unsaved.
  const sent = useRef<string | null>(null);
  const current = useRef<string>("");
  current.current = JSON.stringify(form.value ?? {});
  // A refused autosave (a conflict, a field the server refuses) is not sent again unchanged every 15 s.
  const refused = useRef<string | null>(null);
  useEffect(() => {
    const d = autosave.data;
    if (d?.autosaved) {
      setBase(d.autosaved);
      refused.current = null;
      if (sent.current === current.current) setDirty(false);
      setSavedAt(new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" }));
    } else if (d) refused.current = sent.current;
  }, [autosave.data]);

  // Removing, moving or inserting a block changes the draft without an input event: any change of
  // the order counts (also back to the order loaded: an autosave may have saved another since).
  const order = form.value ? draft.blocks.map((b) => b.id).join(",") : null;
  const seenOrder = useRef<string | null>(null);
  useEffect(() => {
    if (order === null) return;
    if (seenOrder.current !== null && order !== seenOrder.current) setDirty(true);
    seenOrder.current = order;
  }, [order]);

  // Keyboard and screen-reader use: after a block is moved or removed (in the browser) focus stays
  // with that block, not lost to the page (the 上移 pressed goes disabled at the top), and the move
  // is said; after 插入 (a round trip ending at #block-N) focus goes to the inserted block's text.
  const [announced, setAnnounced] = useState("");
  const focusAfter = useRef<{ index: number; prefer: "上移" | "下移" | null } | null>(null);
  useEffect(() => {
    const target = focusAfter.current;
    if (order === null || !target) return;
    focusAfter.current = null;
    const block = document.getElementById(`block-${target.index}`);
    const buttons = [...(block?.querySelectorAll<HTMLButtonElement>("button") ?? [])].filter((b) => !b.disabled);
    // the same move again if it can be made, else the other way (at the top 上移 is disabled)
    const moves = target.prefer ? [target.prefer, target.prefer === "上移" ? "下移" : "上移"] : [];
    const next = moves.map((m) => buttons.find((b) => b.textContent?.trim() === m)).find(Boolean) ?? textOf(block);
    (next ?? document.getElementById("block-end")?.querySelector<HTMLElement>("button"))?.focus();
  }, [order]);
  const location = useLocation();
  // Without JavaScript a list action (上移, 下移, 删除, ＋段落) posts the page and the answer opened at
  // its top, thousands of pixels above the block (a review): the post goes to the block's anchor.
  // With JavaScript conform makes the change in the page and nothing is posted.
  const landAt = (block: number) => ({ formAction: `${location.pathname}${location.search}#block-${block}` });
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per arrival (location.key), not per edit
  useEffect(() => {
    // after a search: the search field, its results right below it
    if (location.hash === "#library") document.getElementById("lib-q")?.focus();
    if (location.hash === "#save") document.getElementById("save")?.focus();
    if (!/^#block-\d+$/.test(location.hash)) return;
    textOf(document.getElementById(location.hash.slice(1)))?.focus();
  }, [location.key]);
  const moved = (from: number, to: number, prefer: "上移" | "下移") => () => {
    focusAfter.current = { index: to, prefer };
    setAnnounced(`第 ${from + 1} 段已移到第 ${to + 1} 段。`);
  };
  const removed = (index: number, count: number) => () => {
    focusAfter.current = { index: Math.min(index, count - 2), prefer: null };
    setAnnounced(`已删除第 ${index + 1} 段（未保存）。`);
  };

  const { onProgress } = props;
  useEffect(() => {
    onProgress?.({ base, dirty });
  }, [onProgress, base, dirty]);

  // Read when the timer fires: no autosave while the page is submitting or the fields are locked
  // (a disabled fieldset's fields are left out of the form data).
  const held = useRef(false);
  held.current = props.busy || Boolean(props.locked);
  // biome-ignore lint/correctness/useExhaustiveDependencies: form.value restarts the 15-second wait on every change (a debounce)
  useEffect(() => {
    if (!dirty) return;
    const t = setTimeout(() => {
      const el = document.getElementById(form.id) as HTMLFormElement | null;
      if (!el || autosave.state !== "idle" || held.current || current.current === refused.current) return;
      const fd = new FormData(el);
      fd.set("op", "autosave");
      fd.set("baseRevisionId", String(base));
      sent.current = current.current;
      autosave.submit(fd, { method: "post" });
    }, 15_000);
    return () => clearTimeout(t);
  }, [dirty, form.value, form.id, base, autosave]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (!dirty) return;
      e.preventDefault();
      // Chromium before 119 (and the 信创 browsers built on it) asks only when returnValue is set
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const preview = useMemo(() => tryBuildLetter(props.template, draftToLetterInput(props.facts, draft)), [props.template, props.facts, draft]);
  // 公文校对 as the clerk types (deferred: typing stays smooth); the server computes the same on every save.
  const checked = useDeferredValue(preview);
  const findings = useMemo(() => (checked.ok ? proofreadDraftLetter(checked.letter, draft.blocks) : []), [checked, draft.blocks]);
  const problems = draftProblems(draft, { requireOutcome: isReply && props.template.requireOutcome, requireDisclosure: isReply });
  const conflictOnAutosave = Boolean(autosave.data?.conflict);
  // A refused autosave (a block too long, the draft already submitted elsewhere) says why: the text is not saved.
  const fieldError = Object.values(autosave.data?.result?.error ?? {})
    .flat()
    .find((m) => m);
  const autosaveRefused = autosave.data && !autosave.data.autosaved && !conflictOnAutosave ? (fieldError ?? autosave.data.error) : null;
  // Anything the server saves (保存, 提交, 插入, 搜索, 采用新版本, a proofreading fix) clicked while an
  // autosave is on its way would meet that autosave as a "conflict" and be dropped: they wait.
  const saving = props.busy || autosave.state !== "idle";
  const err = (f: { errors?: string[] }) => f.errors?.[0];
  const addButton = (kind: "heading1" | "heading2" | "paragraph", index: number) =>
    form.insert.getButtonProps({ name: fields.blocks.name, index, defaultValue: newBlockValue(kind, newBlockId()) });

  const formProps = getFormProps(form);
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Form
        method="post"
        {...formProps}
        // typing in the letter's own fields is a change; the library search, the insert position and
        // the 提交签发 confirmations are not (they neither save nor need the leave prompt)
        onInput={(e) => {
          if (!NOT_DRAFT_FIELDS.has((e.target as HTMLInputElement).name)) setDirty(true);
        }}
        onSubmit={(e) => {
          // at once, not at the next render: the autosave timer must not send beside this submission
          held.current = true;
          formProps.onSubmit(e);
        }}
        className="space-y-4"
        aria-label="答复稿"
      >
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name={fields.baseRevisionId.name} value={base} />
        <input type="hidden" name={fields.version.name} value={proposalVersion} />
        {props.seenEvent !== undefined ? <input type="hidden" name="seenEvent" value={props.seenEvent} /> : null}
        {/* Enter in a one-line field submits the form's first button: let that be 搜索 (it saves too), never 采用新版本 */}
        <button type="submit" name="op" value="search" className="sr-only" tabIndex={-1} aria-hidden="true" disabled={saving} />
        {props.locked === "conflict" ? (
          <p className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">请先在上方处理保存冲突：保留我的版本，或使用对方版本。</p>
        ) : null}
        <fieldset disabled={Boolean(props.locked)} className="contents">
          {/* Form-level errors (a refused submit) are shown once, at the top of the page. */}

          <section className="card space-y-3" aria-label="办理信息">
            <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
              {isReply ? (
                <SelectField
                  placeholder="请选择"
                  label="办理结果分类"
                  name={fields.outcome.name}
                  defaultValue={String(fields.outcome.initialValue ?? "")}
                  error={err(fields.outcome)}
                  options={OUTCOMES.map((o) => ({ value: o, label: props.template.outcomeLabels[o] ?? OUTCOME_LABELS[o] }))}
                />
              ) : null}
              {isReply ? (
                <SelectField
                  placeholder="请选择"
                  label="公开方式"
                  name={fields.disclosure.name}
                  defaultValue={String(fields.disclosure.initialValue ?? "")}
                  error={err(fields.disclosure)}
                  options={DISCLOSURES.map((d) => ({ value: d, label: d }))}
                />
              ) : null}
              {isReply && draft.disclosure && draft.disclosure !== "主动公开" ? (
                <Field
                  label="不公开或依申请公开的理由"
                  name={fields.disclosureReason.name}
                  // shown again after 主动公开 was chosen for a moment: the reason as typed (kept in the hidden field meanwhile)
                  value={String(draft.disclosureReason ?? fields.disclosureReason.initialValue ?? "")}
                  error={err(fields.disclosureReason)}
                />
              ) : (
                <input type="hidden" name={fields.disclosureReason.name} value={draft.disclosureReason ?? ""} />
              )}
              <Field
                label={`承办人联系电话（印在${isReply ? "答复函" : "会办意见"}上）`}
                name={fields.phone.name}
                value={String(fields.phone.initialValue ?? "")}
                error={err(fields.phone)}
              />
              {!isReply ? (
                <Field
                  label="主送（主办单位）"
                  name={fields.addressee.name}
                  value={String(fields.addressee.initialValue ?? props.facts.leadUnit ?? "")}
                  error={err(fields.addressee)}
                  hint={
                    props.draft.addressee && props.facts.leadUnit && props.draft.addressee !== props.facts.leadUnit
                      ? `与提案现在的主办单位（${props.facts.leadUnit}）不同；如主办单位已更正，请改为新的单位。`
                      : undefined
                  }
                />
              ) : null}
            </div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name={fields.printSignerName.name} defaultChecked={fields.printSignerName.initialValue === "on"} /> 在“领导签字：”后打印签发人姓名
            </label>
          </section>

          {props.retired.length ? (
            <section className="card border-amber-300 bg-amber-50" aria-label="引用了已停用的段落">
              <h2 className="mb-2 font-semibold text-amber-900">引用了段落库中已停用的段落</h2>
              <ul className="list-disc space-y-1 pl-5 text-sm">
                {props.retired.map((r) => (
                  <li key={r.blockId}>
                    第 {r.index + 1} 段来自“
                    <a href={`/library/${r.paragraphId}`} target="_blank" rel="noreferrer">
                      {r.title}
                    </a>
                    ”，该段落已停用（可能政策已调整）：请核对是否仍然适用，需要时改写或删除。
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {props.outdated.length ? (
            <section className="card border-amber-300 bg-amber-50" aria-label="段落库有新版本">
              <h2 className="mb-2 font-semibold text-amber-900">段落库中有新版本</h2>
              {props.outdated.map((o) => (
                <div key={o.blockId} className="mb-3">
                  <p className="text-sm">
                    第 {o.index + 1} 段“{o.title}”：您用的是第 {o.fromVersion} 版，库中已有第 {o.toVersion} 版。
                    {o.edited ? <strong className="text-amber-900">您改过这一段：采用新版本会连同您的修改一起替换。</strong> : null}
                    下面是本段现在的文字（删除线）与新版本（下划线）的差异：
                  </p>
                  <DiffView parts={textDiff(o.currentText, o.newText)} />
                  <button type="submit" name="op" value={opValue({ op: "accept", blockId: o.blockId, versionId: o.toVersionId })} className="btn-secondary mt-1" disabled={saving}>
                    采用新版本（替换第 {o.index + 1} 段）
                  </button>
                </div>
              ))}
            </section>
          ) : null}

          <section className="space-y-3" aria-label="正文">
            <p className="sr-only" aria-live="polite">
              {announced}
            </p>
            {blocks.length === 0 ? <p className="card text-sm text-slate-600">正文还是空的：从下方段落库插入，或在下方添加段落。</p> : null}
            <p className="text-xs text-slate-500">
              提示：用〖〗括住的文字（如〖张三，电话 138…〗）照常印在答复函上，在公开网站的版本中显示为■，用于遮盖不宜公开的内容；〖与〗可以分在前后两段，但须成对。
            </p>
            {blocks.map((block, i) => {
              const f = block.getFieldset();
              const current = draft.blocks[i];
              return (
                <fieldset key={block.key} id={`block-${i}`} className={`card space-y-2 ${err(f.text) || err(f.lead) ? "border-red-400" : ""}`}>
                  <BlockEditor
                    index={i}
                    count={blocks.length}
                    fields={{ id: f.id, type: f.type, level: f.level, lead: f.lead, text: f.text, source: f.source }}
                    current={current}
                    error={err(f.text) ?? err(f.lead) ?? problems.find((p) => p.field === `block-${i}`)?.message}
                    buttons={{
                      up: { ...form.reorder.getButtonProps({ name: fields.blocks.name, from: i, to: i - 1 }), onClick: moved(i, i - 1, "上移"), ...landAt(i - 1) },
                      down: { ...form.reorder.getButtonProps({ name: fields.blocks.name, from: i, to: i + 1 }), onClick: moved(i, i + 1, "下移"), ...landAt(i + 1) },
                      add: { ...addButton("paragraph", i + 1), ...landAt(i + 1) },
                      remove: { ...form.remove.getButtonProps({ name: fields.blocks.name, index: i }), onClick: removed(i, blocks.length), ...landAt(Math.max(0, i - 1)) },
                    }}
                    busy={props.busy}
                    today={props.today}
                  />
                  <BlockFindings findings={findings.filter((x) => x.blockIndex === i)} busy={saving} />
                </fieldset>
              );
            })}
            <div id="block-end" className="flex flex-wrap gap-2">
              <button type="submit" {...addButton("heading1", blocks.length)} {...landAt(blocks.length)} className="btn-secondary" disabled={props.busy}>
                ＋ 一级标题
              </button>
              <button type="submit" {...addButton("heading2", blocks.length)} {...landAt(blocks.length)} className="btn-secondary" disabled={props.busy}>
                ＋ 二级标题
              </button>
              <button type="submit" {...addButton("paragraph", blocks.length)} {...landAt(blocks.length)} className="btn-secondary" disabled={props.busy}>
                ＋ 段落
              </button>
            </div>
          </section>

          <section id="library" className="card space-y-3" aria-label="段落库">
            <h2 className="font-semibold">段落库</h2>
            <div className="flex flex-wrap items-end gap-2">
              <div className="flex-1">
                <label htmlFor="lib-q" className="mb-1 block text-sm font-medium text-slate-700">
                  搜索段落
                </label>
                <input id="lib-q" name={fields.q.name} defaultValue={props.q} maxLength={100} className="input" placeholder="如：专精特新、科技成果转化、108号" />
              </div>
              <button type="submit" name="op" value="search" className="btn-secondary" disabled={saving}>
                搜索
              </button>
              <div>
                <label htmlFor="insertAt" className="mb-1 block text-sm font-medium text-slate-700">
                  插入位置
                </label>
                <select id="insertAt" name={fields.insertAt.name} className="input" defaultValue="">
                  <option value="">末尾</option>
                  {draft.blocks.map((b, i) => (
                    <option key={b.id} value={i + 1}>
                      第 {i + 1} 段之后
                    </option>
                  ))}
                  <option value="0">最前面</option>
                </select>
              </div>
            </div>
            {props.letterHits.map((l) => (
              <section key={l.letterId} className="rounded border border-blue-200 bg-blue-50 p-2 text-sm" aria-label={`答复函 ${l.documentNumber}`}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium">
                    {l.documentNumber}（正文 {l.blocks} 段）
                  </span>
                  <button type="submit" name="op" value={opValue({ op: "letter", letterId: l.letterId, from: 0, to: l.blocks })} className="btn-secondary" disabled={saving}>
                    插入整封正文
                  </button>
                </div>
                <ul className="mt-1 space-y-1">
                  {l.sections.map((s) => (
                    <li key={s.start} className="flex items-center justify-between gap-2">
                      <span>{s.title}</span>
                      <button
                        type="submit"
                        name="op"
                        value={opValue({ op: "letter", letterId: l.letterId, from: s.start, to: s.end })}
                        className="btn-secondary px-2 py-0.5 text-xs"
                        disabled={saving}
                        aria-label={`插入本节“${s.title}”`}
                      >
                        插入本节
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
            <HitList
              title={props.q ? `“${props.q}”的搜索结果` : null}
              hits={props.hits}
              busy={saving}
              empty={props.q && !props.letterHits.length ? "没有找到相关段落。" : null}
              inDraft={inDraft}
            />
            {/* the ones not yet in the letter first: after 参照此函起草 the rest are there already */}
            <HitList
              title="与本提案相关的推荐段落"
              hits={[...props.suggestions].sort((a, b) => Number(inDraft.has(a.id)) - Number(inDraft.has(b.id)))}
              busy={saving}
              empty={null}
              inDraft={inDraft}
            />
          </section>

          <section className="card space-y-3" aria-label="提交">
            {problems.length ? (
              <div>
                <h2 className="text-sm font-medium text-slate-700">提交签发前还需：</h2>
                <ul className="list-disc pl-5 text-sm text-red-800">
                  {problems.map((p) => (
                    <li key={p.field + p.message}>{p.message}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="text-sm text-green-800">答复稿完整，可以提交签发。</p>
            )}
            <ProofreadSummary
              findings={findings}
              busy={saving}
              keepReason={
                typeof posted?.keepFindingsReason === "string"
                  ? posted.keepFindingsReason
                  : props.lastKept?.summary === keptFindingsSummary(findings.filter((f) => f.severity === "must"))
                    ? props.lastKept.reason
                    : undefined
              }
              keepReasonError={props.lastResult?.error?.keepFindingsReason?.[0]}
            />
            {props.missingOpinions?.length ? (
              <label className="flex items-start gap-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
                <input type="checkbox" name="confirmMissingOpinions" className="mt-1" />
                <span>尚未收到{props.missingOpinions.join("、")}的会办意见。确认不等会办意见即提交签发（将记入办理历史）。</span>
              </label>
            ) : null}
            <div className="flex flex-wrap items-center gap-2">
              <button type="submit" id="save" name="op" value="save" className="btn-primary" disabled={saving}>
                保存
              </button>
              <button type="submit" name="op" value="submit" className="btn-secondary" disabled={saving}>
                保存并提交签发
              </button>
              <span className={`text-xs ${autosaveRefused ? "text-red-700" : "text-slate-500"}`} aria-live="polite">
                {conflictOnAutosave
                  ? autosave.data?.conflict?.self
                    ? "自动保存发现您在另一个窗口中保存过新的版本，请点“保存”比较两个版本。"
                    : "自动保存发现他人已修改，请点“保存”比较两个版本。"
                  : autosaveRefused
                    ? `自动保存未成功，修改尚未保存：${autosaveRefused}`
                    : dirty
                      ? "有未保存的修改（15 秒后自动保存）"
                      : savedAt
                        ? `已自动保存 ${savedAt}`
                        : ""}
              </span>
            </div>
          </section>
        </fieldset>
      </Form>

      <section aria-label="预览" className="no-print">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled without a mouse */}
        <div tabIndex={0} className="sticky top-2 max-h-[calc(100vh-1rem)] overflow-auto rounded border border-slate-200 bg-slate-100 p-2">
          <div className="mb-1 text-xs text-slate-600">预览（与 DOCX 使用同一份数据）</div>
          {preview.ok ? (
            <div style={{ zoom: 0.62 }}>
              <LetterPreview letter={preview.letter} />
            </div>
          ) : (
            <ul className="list-disc pl-5 text-sm text-red-800">
              {preview.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </div>
  );
}

function HitList({
  title,
  hits,
  busy,
  empty,
  inDraft,
}: {
  title: string | null;
  hits: LibraryHit[];
  busy: boolean;
  empty: string | null;
  /** paragraph id → the block (1-based) of the letter that already holds it */
  inDraft: ReadonlyMap<number, number>;
}) {
  if (!hits.length) return empty ? <p className="text-sm text-slate-500">{empty}</p> : null;
  return (
    <div>
      {title ? <h3 className="mb-1 text-sm font-medium text-slate-700">{title}</h3> : null}
      <ul className="space-y-2">
        {hits.map((h) => (
          <li key={h.id} className="rounded border border-slate-200 p-2 text-sm">
            <div className="flex items-start justify-between gap-2">
              <div>
                <a href={`/library/${h.id}`} target="_blank" rel="noreferrer" className="font-medium">
                  {h.title}
                </a>
                <span className="ml-2 text-xs text-slate-500">
                  {h.source} · 第 {h.version} 版
                </span>
                {inDraft.has(h.id) ? <span className="ml-2 whitespace-nowrap rounded bg-amber-100 px-1 text-xs text-amber-900">已在正文第 {inDraft.get(h.id)} 段</span> : null}
              </div>
              <button
                type="submit"
                name="op"
                value={opValue({ op: "insert", paragraphId: h.id })}
                className="btn-secondary shrink-0"
                disabled={busy}
                aria-label={`插入“${h.title}”`}
              >
                {inDraft.has(h.id) ? "再次插入" : "插入"}
              </button>
            </div>
            <p className="mt-1 text-slate-700">
              <Snippet s={h.snippet} />
            </p>
            {h.why ? <p className="mt-1 text-xs text-slate-500">{h.why}</p> : null}
            {h.stale.length ? <p className="mt-1 text-xs text-amber-800">⚠ {h.stale.join("；")}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What conform's list-intent buttons carry (name `__intent__`, the intent as value). */
/** A block's text: a paragraph's body (its 行内标题 input comes first), a heading's line. */
function textOf(block: Element | null | undefined): HTMLElement | null {
  return block?.querySelector<HTMLElement>("textarea") ?? block?.querySelector<HTMLElement>('input:not([type="hidden"])') ?? null;
}

type ButtonProps = { name: string; value: string; form?: string; formNoValidate?: boolean; formAction?: string; onClick?: () => void };

function BlockEditor({
  index: i,
  count,
  fields: f,
  current: b,
  error,
  buttons,
  busy,
  today,
}: {
  index: number;
  count: number;
  fields: Record<"id" | "type" | "level" | "lead" | "text" | "source", { name: string; initialValue?: unknown; key?: string }>;
  current: DraftBlock | undefined;
  error?: string;
  buttons: { up: ButtonProps; down: ButtonProps; add: ButtonProps; remove: ButtonProps };
  busy: boolean;
  today: string;
}) {
  const type = String(f.type.initialValue ?? "paragraph");
  const initialText = String(f.text.initialValue ?? "");
  const edited = b ? isEditedFromLibrary(b) : false;
  const source = b?.source;
  const label = type === "heading" ? (String(f.level.initialValue) === "2" ? "二级标题" : "一级标题") : type === "table" ? "表格（每行一行，单元格用 Tab 分隔）" : "段落";
  const rows = Math.min(16, Math.max(2, Math.ceil(initialText.length / 38) + initialText.split("\n").length - 1));
  // Content, not age: "今年3月" written in an earlier year, an ended plan period, old figures — once per block.
  const stale = b && source && b.type !== "heading" ? stalenessOf({ text: blockText(b), asOf: source.asOf ?? undefined, today }) : null;
  return (
    <>
      <legend className="sr-only">第 {i + 1} 段</legend>
      <input type="hidden" name={f.id.name} defaultValue={String(f.id.initialValue ?? "")} />
      <input type="hidden" name={f.type.name} defaultValue={type} />
      <input type="hidden" name={f.source.name} defaultValue={String(f.source.initialValue ?? "")} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs">
        <span className="font-medium text-slate-600">
          {i + 1}. {label}
          {source ? (
            <span className="ml-2 rounded border border-blue-200 bg-blue-50 px-1 text-blue-800">
              段落库：{source.title}（第 {source.versionNo} 版）{edited ? " · 已修改" : " · 原文"}
            </span>
          ) : null}
        </span>
        {/* 24 px targets to tap, 删除 set apart from ＋段落 (they were 21 px tall, 4 px apart) */}
        <span className="flex gap-2">
          <button type="submit" {...buttons.up} className="btn-secondary min-h-6 px-2 py-0.5 text-xs" disabled={busy || i === 0} aria-label={`第 ${i + 1} 段上移`}>
            上移
          </button>
          <button type="submit" {...buttons.down} className="btn-secondary min-h-6 px-2 py-0.5 text-xs" disabled={busy || i === count - 1} aria-label={`第 ${i + 1} 段下移`}>
            下移
          </button>
          <button type="submit" {...buttons.add} className="btn-secondary min-h-6 px-2 py-0.5 text-xs" disabled={busy} aria-label={`在第 ${i + 1} 段后加段落`}>
            ＋段落
          </button>
          <button type="submit" {...buttons.remove} className="btn-danger ml-3 min-h-6 px-2 py-0.5 text-xs" disabled={busy} aria-label={`删除第 ${i + 1} 段`}>
            删除
          </button>
        </span>
      </div>
      {type === "heading" ? (
        <div className="flex gap-2">
          <select name={f.level.name} defaultValue={String(f.level.initialValue ?? "1")} className="input w-28" aria-label={`第 ${i + 1} 段标题级别`}>
            <option value="1">一级（一、）</option>
            <option value="2">二级（（一））</option>
          </select>
          <input
            name={f.text.name}
            defaultValue={initialText}
            className={`input font-semibold ${error ? "input-error" : ""}`}
            aria-label={`第 ${i + 1} 段标题`}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${f.text.name}-error` : undefined}
            placeholder="如：一、完善顶层设计"
          />
        </div>
      ) : type === "paragraph" ? (
        <>
          <div className="flex gap-2">
            <select name={f.level.name} defaultValue={String(f.level.initialValue ?? "1")} className="input w-28" aria-label={`第 ${i + 1} 段行内标题级别`}>
              <option value="1">一级</option>
              <option value="2">二级</option>
            </select>
            <input
              name={f.lead.name}
              defaultValue={String(f.lead.initialValue ?? "")}
              maxLength={300}
              className="input"
              aria-label={`第 ${i + 1} 段行内标题（可选）`}
              placeholder="行内标题（可选），如：三、系统规划引领。"
            />
          </div>
          <textarea
            name={f.text.name}
            defaultValue={initialText}
            rows={rows}
            className={`input leading-relaxed ${error ? "input-error" : ""}`}
            aria-label={`第 ${i + 1} 段正文`}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${f.text.name}-error` : undefined}
          />
        </>
      ) : (
        <textarea
          name={f.text.name}
          defaultValue={initialText}
          rows={rows}
          className="input font-mono text-xs"
          aria-label={`第 ${i + 1} 段表格`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${f.text.name}-error` : undefined}
        />
      )}
      {error ? (
        <p id={`${f.text.name}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {stale?.stale ? (
        <p className="text-xs text-amber-800">
          ⚠ 时效：{stale.reasons.join("；")}
          {stale.phrases.length ? (
            <span className="ml-1">
              （
              {stale.phrases.map((ph) => (
                <mark key={ph} className="mx-0.5">
                  {ph}
                </mark>
              ))}
              ）
            </span>
          ) : null}
        </p>
      ) : null}
      {edited && b && source ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-slate-600">与段落库原文的差异</summary>
          <DiffView parts={textDiff(source.originalText, blockText(b))} />
        </details>
      ) : null}
    </>
  );
}

function Field({ label, name, value, error, hint }: { label: string; name: string; value: string; error?: string; hint?: string }) {
  return (
    <div>
      <label htmlFor={`f-${name}`} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={`f-${name}`}
        name={name}
        defaultValue={value}
        className={`input ${error ? "input-error" : ""}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? `f-${name}-error` : "", hint ? `f-${name}-hint` : ""].filter(Boolean).join(" ") || undefined}
      />
      {hint ? (
        <p id={`f-${name}-hint`} className="mt-1 text-sm text-amber-800">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`f-${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
