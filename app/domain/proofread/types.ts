/** Shared types of the 公文 proofreading checker (see app/domain/proofread.ts). */

export type Severity = "must" | "should" | "check";

export const SEVERITY_LABELS: Record<Severity, string> = {
  must: "必须修改",
  should: "建议修改",
  check: "请核对",
};

export interface Finding {
  /** Stable id, e.g. "date.zero-circle", "punct.halfwidth", "char.duplicate". */
  rule: string;
  severity: Severity;
  /** zh-CN: what is wrong and why. */
  message: string;
  /** The offending text exactly as written. */
  excerpt: string;
  /** UTF-16 offset in the checked text. */
  offset: number;
  /** UTF-16 length of the excerpt. */
  length: number;
  /** Replacement text when there is exactly one right answer; absent otherwise. */
  suggestion?: string;
}

export interface ProofreadOptions {
  /** 成文日期, ISO YYYY-MM-DD: resolves 今年/去年/上月 and is compared with the 文号 year. */
  letterDate?: string | null;
  /** The template's numeral style for the 成文日期 line. */
  dateStyle?: "chinese" | "arabic";
  /** 发文机关 (e.g. 东莞市工业和信息化局), for the 我局 self-reference rule; guessed from the header when absent. */
  authority?: string | null;
}

/** A finding in the coordinates of the normalised text (before mapping back to the source). */
export interface RawFinding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  suggestion?: string;
}

export type ParaKind = "text" | "heading" | "lead-paragraph" | "title" | "addressee" | "opening" | "documentNumber" | "signature" | "date" | "disclosure" | "table";

export interface Para {
  start: number;
  end: number;
  kind: ParaKind;
  /** Heading level from the document model (letter mode). */
  level?: 1 | 2;
  /** Length of the inline lead ("三、系统规划引领。") at the start, letter mode. */
  leadLength?: number;
}

/** The text every rule sees: paragraphs joined with "\n" (wrapped lines and page breaks already joined). */
export interface Doc {
  text: string;
  paras: Para[];
  mode: "text" | "letter";
  letterDate: string | null;
  dateStyle: "chinese" | "arabic" | null;
  authority: string | null;
  /** Text with straight quotes replaced by the curly quote they stand for (same length). */
  resolved: string;
  /** Ranges of 文号 found in the text (spacing inside is reported by the 文号 rule, not the spacing rule). */
  docNumberSpans: [number, number][];
}
