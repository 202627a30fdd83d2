/** Shared pieces of the library pages: highlighted text, diffs, flags, result cards, suggestions. */
import { useClientLinks } from "./client-links";
import {
  DOCUMENT_KIND_LABELS,
  PARAGRAPH_KIND_LABELS,
  PARAGRAPH_STATUS_LABELS,
  type DiffPart,
  type DocumentKind,
  type Highlighted,
  type ParagraphKind,
  type ParagraphStatus,
} from "~/domain/library";
import { StateBadge } from "./layout";
import { ScrollArea } from "./scroll-area";

export function HighlightedText({ value, className }: { value: Highlighted; className?: string }) {
  return (
    <span className={className}>
      {value.clippedStart ? "……" : null}
      {value.segments.map((s, i) =>
        s.hit ? (
          <mark key={i} className="rounded-sm bg-yellow-200 px-0.5 text-slate-900">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
      {value.clippedEnd ? "……" : null}
    </span>
  );
}

export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <p className="whitespace-pre-wrap leading-7">
      {parts.map((p, i) =>
        p.op === "same" ? (
          <span key={i}>{p.text}</span>
        ) : p.op === "del" ? (
          // struck through and underlined, not by colour alone; said to a screen reader, which reads no <ins>/<del>
          <del key={i} className="bg-red-100 text-red-800">
            <span className="sr-only">［删除：</span>
            {p.text}
            <span className="sr-only">］</span>
          </del>
        ) : (
          <ins key={i} className="bg-green-100 text-green-900">
            <span className="sr-only">［新增：</span>
            {p.text}
            <span className="sr-only">］</span>
          </ins>
        ),
      )}
    </p>
  );
}

/** "时效提醒" with the reasons: the paragraph may state out-of-date facts or figures. */
export function StaleFlag({ reasons, compact }: { reasons: string[]; compact?: boolean }) {
  if (reasons.length === 0) return null;
  if (compact)
    return (
      <span title={reasons.join("；")} className="inline-block whitespace-nowrap rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">
        时效提醒
      </span>
    );
  return (
    <div role="note" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <strong className="font-semibold">时效提醒：</strong>本段可能含有过时的数据或表述，引用前请核对。
      <ul className="mt-1 list-disc pl-5">
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

/** A table paragraph is stored as tab-separated rows. */
export function ParagraphBody({ kind, body }: { kind: ParagraphKind; body: string }) {
  if (kind === "table") {
    const rows = body.split("\n").map((r) => r.split("\t"));
    return (
      <ScrollArea label="段落中的表格">
        <table className="table-base">
          <thead>
            <tr>
              {rows[0]!.map((c, i) => (
                <th key={i}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(1).map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    );
  }
  return <p className="whitespace-pre-wrap leading-7">{body}</p>;
}

export type ResultCardRow = {
  id: number;
  title: string;
  titleHighlight: Highlighted | null;
  status: ParagraphStatus;
  kind: ParagraphKind;
  tags: string[];
  version: number;
  source: string;
  snippet: Highlighted;
  score: number | null;
  uses: number;
  stale: string[];
  /** 公文校对 of the current text: errors here spread to every letter that reuses it. */
  proofread?: { must: number; should: number };
};

/** Its links are plain anchors: render it inside an element with useClientLinks(). */
export function ParagraphCard({ row, rank, tagHref }: { row: ResultCardRow; rank?: number; tagHref?: (tag: string) => string }) {
  return (
    <li className="card" data-testid="library-result">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        {rank !== undefined ? <span className="text-sm text-slate-500">{rank}.</span> : null}
        <a href={`/library/${row.id}`} className="text-base font-semibold">
          {row.titleHighlight ? <HighlightedText value={row.titleHighlight} /> : row.title}
        </a>
        {row.status === "retired" ? <StateBadge label={PARAGRAPH_STATUS_LABELS.retired} tone="red" /> : null}
        {row.kind !== "paragraph" ? <StateBadge label={PARAGRAPH_KIND_LABELS[row.kind]} /> : null}
        <StaleFlag reasons={row.stale} compact />
        {row.proofread && row.proofread.must + row.proofread.should > 0 ? (
          <StateBadge
            label={row.proofread.must ? `校对：${row.proofread.must} 处必须修改` : `校对：${row.proofread.should} 处建议修改`}
            tone={row.proofread.must ? "red" : "amber"}
          />
        ) : null}
        <span className="text-xs text-slate-500">第 {row.version} 版</span>
        <span className="text-xs text-slate-500">{row.uses > 0 ? `答复函引用 ${row.uses} 次` : "尚未被答复函引用"}</span>
        {row.score !== null ? <span className="ml-auto text-xs text-slate-500">相关度 {row.score.toFixed(2)}</span> : null}
      </div>
      {row.source ? <div className="mt-0.5 text-xs text-slate-500">来源：{row.source}</div> : null}
      <p className="mt-2 text-sm leading-6 text-slate-800">
        <HighlightedText value={row.snippet} />
      </p>
      {row.tags.length ? (
        <div className="mt-2 flex flex-wrap gap-1">
          {row.tags.map((t) =>
            tagHref ? (
              <a key={t} href={tagHref(t)} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 no-underline hover:bg-slate-200">
                {t}
              </a>
            ) : (
              <span key={t} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                {t}
              </span>
            ),
          )}
        </div>
      ) : null}
    </li>
  );
}

export type SuggestionRow = ResultCardRow & { matched: string[]; usedForProposal: boolean };

/** "推荐段落" on a proposal's page: the library paragraphs closest to its 案由 and notes. */
export function ParagraphSuggestions({ items }: { items: SuggestionRow[] }) {
  const clientLinks = useClientLinks<HTMLElement>();
  return (
    <section className="mb-5" aria-labelledby="suggestions-heading" ref={clientLinks}>
      <h2 id="suggestions-heading" className="mb-2 text-lg font-semibold">
        推荐段落
        <span className="ml-2 text-sm font-normal text-slate-500">按与案由、备注的相关度排序，来自段落库</span>
      </h2>
      {items.length === 0 ? (
        <p className="card text-sm text-slate-500">段落库中没有与本提案相关的段落。</p>
      ) : (
        <ol className="space-y-2">
          {items.map((s) => (
            <li key={s.id} className="card py-3">
              <div className="flex flex-wrap items-baseline gap-2">
                <a href={`/library/${s.id}`} className="font-semibold">
                  {s.title}
                </a>
                {s.usedForProposal ? <StateBadge label="本提案答复已引用" tone="green" /> : null}
                <StaleFlag reasons={s.stale} compact />
                {s.matched.length ? <span className="text-xs text-slate-500">匹配：{s.matched.join("、")}</span> : null}
              </div>
              {s.source ? <div className="text-xs text-slate-500">来源：{s.source}</div> : null}
              <p className="mt-1 text-sm leading-6 text-slate-800">
                <HighlightedText value={s.snippet} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function DocumentKindBadge({ kind }: { kind: DocumentKind }) {
  return <StateBadge label={DOCUMENT_KIND_LABELS[kind]} tone={kind === "letter" ? "blue" : "slate"} />;
}
