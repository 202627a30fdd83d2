/**
 * The editor form ⇄ Draft. Pure and browser-safe. The form is a conform form: blocks post as
 * `blocks[i].text`, `blocks[i].lead`…, added, removed and reordered with conform's list intents
 * (which work without JavaScript: the server answers with `submission.reply()`); what needs the
 * server (a library paragraph, a past letter's section, a newer version, save, submit) is one
 * typed `op` whose value is JSON, parsed by `editorOpSchema`.
 */
import { z } from "zod";
import { blockSourceSchema, blockText, type Draft, type DraftBlock } from "./draft";
import { DISCLOSURES, OUTCOMES, sanitizeText } from "./letter";
import { foldFullWidthDigits } from "./full-width";

export const MAX_BLOCK_CHARS = 50_000;
/**
 * Paragraphs in one letter. A reply has tens; at 2,000 a refused save re-rendered a 5 MB editor page
 * that held the server ~3.5 s (a fuzz run).
 */
export const MAX_BLOCKS = 500;
const MAX_LEAD_CHARS = 300;
const MAX_REASON_CHARS = 500;
const MAX_PHONE_CHARS = 40;
const MAX_ADDRESSEE_CHARS = 200;
/**
 * A whole letter's text (some 160 printed pages), and a table's size: a draft of 2.6 million
 * characters could not be printed in 75 s and held every other print behind it, a table of 25,000
 * columns or 9,000 rows ran the server out of memory making the Word file (a fuzz run, 2026-12-01).
 */
export const MAX_DRAFT_CHARS = 100_000;
const MAX_TABLE_ROWS = 500;
const MAX_TABLE_COLUMNS = 30;
/**
 * Cells of all the draft's tables together. Each table within its rows and columns, three of 500 × 30
 * (45,000 cells, ~88,000 characters) ran the server out of memory making the Word file (a fuzz run);
 * one table of 15,000 cells took 2.4 s. A reply's tables are lists of firms or projects: hundreds.
 */
export const MAX_DRAFT_TABLE_CELLS = 5000;

/**
 * The editor's limits, for a draft that did not come through its fields (the conflict form's JSON,
 * scripts): a contact line of two million characters was saved that way, and every later view of
 * the letter proofread it. Null when within them.
 */
export function draftLimitProblem(d: Draft): string | null {
  if (d.blocks.length > MAX_BLOCKS) return `正文不能超过 ${MAX_BLOCKS} 段`;
  let total = 0;
  for (const [i, b] of d.blocks.entries()) {
    const length = blockText(b).length;
    total += length;
    if (length > MAX_BLOCK_CHARS) return `第 ${i + 1} 段超过 ${MAX_BLOCK_CHARS} 字，请拆分`;
    if (b.type === "paragraph" && (b.lead?.text.length ?? 0) > MAX_LEAD_CHARS) return `第 ${i + 1} 段的行内标题不能超过 ${MAX_LEAD_CHARS} 字`;
    if (b.type === "table" && b.rows.length > MAX_TABLE_ROWS) return `第 ${i + 1} 段的表格超过 ${MAX_TABLE_ROWS} 行，请拆分或作为附件`;
    if (b.type === "table" && b.rows.some((r) => r.length > MAX_TABLE_COLUMNS)) return `第 ${i + 1} 段的表格超过 ${MAX_TABLE_COLUMNS} 列，请拆分或作为附件`;
  }
  const cells = d.blocks.reduce((n, b) => n + (b.type === "table" ? b.rows.reduce((m, r) => m + r.length, 0) : 0), 0);
  if (cells > MAX_DRAFT_TABLE_CELLS) return `表格共 ${cells} 格，超过 ${MAX_DRAFT_TABLE_CELLS} 格的上限，请精简或将表格作为附件`;
  if (total > MAX_DRAFT_CHARS) return `正文共 ${total} 字，超过 ${MAX_DRAFT_CHARS} 字的上限，请精简或将材料作为附件`;
  if ((d.disclosureReason?.length ?? 0) > MAX_REASON_CHARS) return `理由不能超过 ${MAX_REASON_CHARS} 字`;
  if (d.phone.length > MAX_PHONE_CHARS) return "联系电话过长";
  if ((d.addressee?.length ?? 0) > MAX_ADDRESSEE_CHARS) return "主送单位过长";
  return null;
}

const blockFormSchema = z.object({
  id: z.string().min(1).max(40),
  type: z.enum(["heading", "paragraph", "table"]),
  level: z.number().int().min(1).max(2).default(1),
  lead: z.string().max(MAX_LEAD_CHARS, `行内标题不能超过 ${MAX_LEAD_CHARS} 字`).optional(),
  text: z.string().max(MAX_BLOCK_CHARS, `这一段超过 ${MAX_BLOCK_CHARS} 字，请拆分`).optional(),
  /** The library version the block came from, as JSON (checked again on the server when saved). */
  source: z
    .string()
    .max(MAX_BLOCK_CHARS * 2)
    .optional(),
});

/** What the editor posts. Conform coerces: "" → undefined, "12" → 12, "on" → true. */
export const draftFormSchema = z.object({
  blocks: z.array(blockFormSchema).max(MAX_BLOCKS, `正文不能超过 ${MAX_BLOCKS} 段`).default([]),
  outcome: z.enum(OUTCOMES).optional(),
  disclosure: z.enum(DISCLOSURES).optional(),
  disclosureReason: z.string().max(MAX_REASON_CHARS, `理由不能超过 ${MAX_REASON_CHARS} 字`).optional(),
  phone: z.string().max(MAX_PHONE_CHARS, "联系电话过长").optional(),
  printSignerName: z.boolean().default(false),
  addressee: z.string().max(MAX_ADDRESSEE_CHARS, "主送单位过长").optional(),
  baseRevisionId: z.number().int().positive(),
  version: z.number().int(),
  // A search term is cut, never refused: a refused search field held back every save of the draft.
  q: z
    .string()
    .transform((q) => q.slice(0, 100))
    .optional(),
  insertAt: z.number().int().min(0).max(MAX_BLOCKS).optional(),
});
export type DraftFormValue = z.output<typeof draftFormSchema>;

const id = z.number().int().positive().max(2_147_483_647);
const index = z.number().int().min(0).max(MAX_BLOCKS);

/** The editor's server operations (buttons named `op`, JSON values). Save is the default. */
export const editorOpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.enum(["save", "autosave", "submit", "search", "keep-mine", "fix-must"]) }),
  /** 公文校对: apply one finding's correction to its block (skipped if the text changed since). */
  z.object({
    op: z.literal("fix"),
    blockId: z.string().min(1).max(40),
    offset: z.number().int().min(0).max(1_000_000),
    length: z.number().int().min(0).max(10_000),
    excerpt: z.string().max(10_000),
    replacement: z.string().max(10_000),
  }),
  /** 改正本段全部: every finding of the block that has one right answer. */
  z.object({ op: z.literal("fix-block"), blockId: z.string().min(1).max(40) }),
  /** A library paragraph's current version, at `insertAt` (default: the end). */
  z.object({ op: z.literal("insert"), paragraphId: id }),
  /** 恢复为第 N 版: an earlier revision of this draft saved again as the newest, after what was typed is saved. */
  z.object({ op: z.literal("restore"), revisionId: id }),
  /** 用此函正文替换: the body becomes a past signed letter's, after what was typed is saved (the save history keeps it). */
  z.object({ op: z.literal("reuse"), letterId: id }),
  /** Blocks [from, to) of a signed letter ("insert this section", "insert the whole body"). */
  z.object({ op: z.literal("letter"), letterId: id, from: index, to: index }),
  /** Replace a block with the newer version of its library paragraph: the one the page showed (`versionId`). */
  z.object({ op: z.literal("accept"), blockId: z.string().min(1).max(40), versionId: id.optional() }),
]);
export type EditorOp = z.output<typeof editorOpSchema>;

/**
 * The editor form parsed with conform, or null when the request is not one the editor can have
 * sent (conform throws on a malformed list intent — a forged `__intent__` — which must be a 400).
 */
export function parseDraftFormSafely<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/** The `op` field: JSON for operations with arguments, a bare word for the rest. */
export function readEditorOp(raw: FormDataEntryValue | null): EditorOp | null {
  if (raw == null || raw === "") return { op: "save" };
  if (typeof raw !== "string") return null;
  let value: unknown = raw;
  if (raw.startsWith("{")) {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  } else value = { op: raw };
  const r = editorOpSchema.safeParse(value);
  return r.success ? r.data : null;
}

/** The value for a button's `value` attribute. */
export function opValue(op: EditorOp): string {
  return Object.keys(op).length === 1 ? op.op : JSON.stringify(op);
}

function parseSource(raw: string | undefined) {
  if (!raw) return {};
  try {
    const r = blockSourceSchema.safeParse(JSON.parse(raw));
    return r.success ? { source: r.data } : {};
  } catch {
    return {};
  }
}

type LooseBlock = { id?: unknown; type?: unknown; level?: unknown; lead?: unknown; text?: unknown; source?: unknown };
const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * A Draft from the form's value: validated (server) or as typed (the browser's live preview,
 * where fields may be missing or not yet coerced). Text is cleaned as at every boundary.
 */
export function draftFromForm(v: Partial<Record<keyof DraftFormValue, unknown>>): Draft {
  const blocks = (Array.isArray(v.blocks) ? (v.blocks as LooseBlock[]) : []).flatMap((b, i): DraftBlock[] => {
    if (!b || typeof b !== "object") return [];
    const id = str(b.id) || `b${i}`;
    const text = sanitizeText(str(b.text));
    const level = String(b.level) === "2" ? 2 : 1;
    const source = parseSource(str(b.source) || undefined);
    if (b.type === "heading") return [{ id, type: "heading", level, text: text.replace(/\n+/g, ""), ...source }];
    if (b.type === "table") {
      const rows = text
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => l.split("\t").map((c) => c.trim()));
      return [{ id, type: "table", rows, headerRows: 1, ...source }];
    }
    const lead = sanitizeText(str(b.lead)).trim();
    return [{ id, type: "paragraph", text, ...(lead ? { lead: { level, text: lead } } : {}), ...source }];
  });
  const outcome = z.enum(OUTCOMES).safeParse(v.outcome);
  const disclosure = z.enum(DISCLOSURES).safeParse(v.disclosure);
  return {
    blocks,
    outcome: outcome.success ? outcome.data : null,
    disclosure: disclosure.success ? disclosure.data : null,
    disclosureReason: sanitizeText(str(v.disclosureReason)).trim() || null,
    phone: foldFullWidthDigits(sanitizeText(str(v.phone)).trim()),
    printSignerName: v.printSignerName === true || v.printSignerName === "on",
    ...(v.addressee !== undefined ? { addressee: sanitizeText(str(v.addressee)).trim() || null } : {}),
  };
}

/** The form's default value for a draft (the editor's starting point). */
export function formValueOf(d: Draft) {
  return {
    blocks: d.blocks.map((b) => ({
      id: b.id,
      type: b.type,
      level: String(b.type === "heading" ? b.level : b.type === "paragraph" ? (b.lead?.level ?? 1) : 1),
      lead: b.type === "paragraph" ? (b.lead?.text ?? "") : "",
      text: b.type === "table" ? b.rows.map((r) => r.join("\t")).join("\n") : b.text,
      source: b.source ? JSON.stringify(b.source) : "",
    })),
    outcome: d.outcome ?? "",
    disclosure: d.disclosure ?? "",
    disclosureReason: d.disclosureReason ?? "",
    phone: d.phone,
    printSignerName: d.printSignerName ? "on" : "",
    ...(d.addressee !== undefined ? { addressee: d.addressee ?? "" } : {}),
  };
}

/** A new, empty block for conform's insert intent. */
export function newBlockValue(kind: "heading1" | "heading2" | "paragraph", id: string) {
  return kind === "paragraph"
    ? { id, type: "paragraph", level: "1", lead: "", text: "", source: "" }
    : { id, type: "heading", level: kind === "heading1" ? "1" : "2", lead: "", text: "", source: "" };
}
