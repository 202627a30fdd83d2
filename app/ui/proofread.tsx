/** 公文校对 in the editor and the leader's review: findings with their fix, per block and in summary. */
import { opValue } from "~/domain/draft-form";
import { SEVERITY_LABELS } from "~/domain/proofread";
import { blockFixes, type DraftFinding } from "~/domain/proofread-draft";

const TONE = { must: "border-red-300 bg-red-50 text-red-900", should: "border-amber-300 bg-amber-50 text-amber-900", check: "border-slate-300 bg-slate-50 text-slate-700" };

/** Where a finding is, for a list of the whole letter's (the editor lists each under its paragraph). */
const PART_LABELS: Record<string, string> = {
  title: "标题",
  addressee: "主送",
  opening: "开头",
  signature: "落款",
  date: "成文日期",
  documentNumber: "文号",
  disclosure: "公开方式",
};
const placeOf = (f: DraftFinding) => (f.blockIndex != null ? `第 ${f.blockIndex + 1} 段` : (PART_LABELS[f.part] ?? null));

export function FindingItem({ f, canFix, busy, placed = false }: { f: DraftFinding; canFix: boolean; busy: boolean; placed?: boolean }) {
  const place = placed ? placeOf(f) : null;
  return (
    <li className={`rounded border px-2 py-1 text-sm ${TONE[f.severity]}`} data-finding={f.rule} data-severity={f.severity}>
      <span className="mr-1 font-medium">[{SEVERITY_LABELS[f.severity]}]</span>
      {place ? <span className="mr-1">{place}：</span> : null}
      {f.suggestion === "" ? (
        // a deletion said as one (it read “、” → “”), white space named as such
        <>删去{f.excerpt.trim() ? `“${f.excerpt.replace(/\n/g, "↵")}”` : "多余的空白"}</>
      ) : (
        <>
          {/* a missing part (公开方式) has no text to quote */}
          {f.excerpt ? <>“{f.excerpt.replace(/\n/g, "↵")}”</> : null}
          {f.suggestion !== undefined ? <> → “{f.suggestion}”</> : null}
        </>
      )}
      <span className="ml-1">{f.message}</span>
      {canFix && f.suggestion !== undefined && f.blockId ? (
        <button
          type="submit"
          name="op"
          value={opValue({ op: "fix", blockId: f.blockId, offset: f.offset, length: f.length, excerpt: f.excerpt, replacement: f.suggestion })}
          // named with what it changes (a page of "改正" buttons said nothing), and 24 px tall to tap
          aria-label={`改正：${f.excerpt.trim() && f.suggestion.trim() ? `将“${f.excerpt}”改为“${f.suggestion}”` : f.message}`}
          className="btn-secondary ml-2 min-h-6 px-2 py-0 text-xs"
          disabled={busy}
        >
          改正
        </button>
      ) : null}
    </li>
  );
}

/** Findings of one block, under it in the editor; two or more with a right answer are corrected in one step too. */
export function BlockFindings({ findings, busy }: { findings: DraftFinding[]; busy: boolean }) {
  if (!findings.length) return null;
  const blockId = findings[0]?.blockId;
  const fixable = blockId ? blockFixes(findings, blockId) : [];
  return (
    <>
      <ul className="space-y-1" aria-label="本段校对">
        {findings.map((f) => (
          <FindingItem key={`${f.rule}:${f.offset}`} f={f} canFix busy={busy} />
        ))}
      </ul>
      {blockId && fixable.length > 1 ? (
        <button
          type="submit"
          name="op"
          value={opValue({ op: "fix-block", blockId })}
          className="btn-secondary min-h-6 px-2 py-0 text-xs"
          disabled={busy}
          aria-label={`改正第 ${(findings[0]?.blockIndex ?? 0) + 1} 段全部可改正项（${fixable.length} 处）`}
        >
          改正本段全部（{fixable.length} 处）
        </button>
      ) : null}
    </>
  );
}

/** The summary above 提交签发: counts, "fix all must-fix", findings outside the body, and the keep-reason field. */
export function ProofreadSummary({
  findings,
  busy,
  keepReason,
  keepReasonError,
}: {
  findings: DraftFinding[];
  busy: boolean;
  /** As typed, after a refused submit (without JavaScript the page is drawn afresh). */
  keepReason?: string;
  keepReasonError?: string;
}) {
  const must = findings.filter((f) => f.severity === "must");
  const fixable = must.filter((f) => f.suggestion !== undefined && f.blockId);
  const outside = findings.filter((f) => !f.blockId);
  return (
    <section className="space-y-2" aria-label="校对">
      <h2 className="text-sm font-medium text-slate-700">
        校对：
        {findings.length
          ? `${findings.length} 处（必须修改 ${must.length}，建议修改 ${findings.filter((f) => f.severity === "should").length}，请核对 ${findings.filter((f) => f.severity === "check").length}）`
          : "未发现问题"}
      </h2>
      {fixable.length ? (
        <button type="submit" name="op" value="fix-must" className="btn-secondary" disabled={busy}>
          修正全部必须修改项（{fixable.length} 处）
        </button>
      ) : null}
      {outside.length ? (
        <ul className="space-y-1">
          {outside.map((f) => (
            <FindingItem key={`${f.part}:${f.rule}:${f.offset}`} f={f} canFix={false} busy={busy} />
          ))}
        </ul>
      ) : null}
      {must.length ? (
        <label className="block text-sm">
          <span className="block text-slate-700">保留原文的理由（仍有必须修改项时，提交签发须说明；领导审签时可见）</span>
          <textarea
            name="keepFindingsReason"
            rows={2}
            defaultValue={keepReason}
            className={`input ${keepReasonError ? "input-error" : ""}`}
            aria-invalid={keepReasonError ? true : undefined}
            aria-describedby={keepReasonError ? "keep-findings-reason-error" : undefined}
          />
          {keepReasonError ? (
            <span id="keep-findings-reason-error" role="alert" className="text-red-800">
              {keepReasonError}
            </span>
          ) : null}
        </label>
      ) : null}
    </section>
  );
}

/** For the leader: what the checker still finds in the submitted letter, and the handler's reason to keep it. */
export function ReviewFindings({ findings, keptNote }: { findings: DraftFinding[]; keptNote: string | null }) {
  return (
    <section aria-label="校对结果" className="space-y-1">
      <h3 className="text-sm font-medium text-slate-700">校对结果{findings.length ? `：${findings.length} 处` : "：未发现问题"}</h3>
      {keptNote ? <p className="text-sm text-amber-900">承办人说明：{keptNote}</p> : null}
      {findings.length ? (
        <ul className="space-y-1">
          {findings.map((f) => (
            // the leader reads them away from the paragraphs: each says where it is (seven alike said nothing)
            <FindingItem key={`${f.part}:${f.rule}:${f.offset}`} f={f} canFix={false} busy={false} placed />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
