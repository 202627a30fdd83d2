/**
 * The editor form ⇄ Draft. Pure and browser-safe: the server reads a posted form with it, and
 * the browser reads the same form on every keystroke to drive the live preview.
 * Blocks post as parallel fields (b_id, b_type, b_level, b_lead, b_text, b_source) in page order,
 * so the page works as a plain HTML form without JavaScript.
 */
import { z } from "zod";
import { blockSourceSchema, draftSchema, type Draft, type DraftBlock } from "./draft";
import { DISCLOSURES, OUTCOMES, sanitizeText } from "./letter";

const MAX_BLOCK_CHARS = 50_000;

function all(form: FormData, key: string): string[] {
  return form.getAll(key).map((v) => (typeof v === "string" ? v : ""));
}

function one(form: FormData, key: string): string {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
}

export type DraftFormResult = { ok: true; draft: Draft } | { ok: false; errors: Record<string, string>; draft: Draft };

/** Reads the draft; problems that make it unreadable come back per field, with the draft as typed. */
export function readDraftForm(form: FormData): DraftFormResult {
  const json = one(form, "draftJson");
  if (json) {
    const parsed = draftSchema.safeParse(safeJson(json));
    if (parsed.success) return { ok: true, draft: parsed.data as Draft };
  }
  const ids = all(form, "b_id");
  const types = all(form, "b_type");
  const levels = all(form, "b_level");
  const leads = all(form, "b_lead");
  const texts = all(form, "b_text");
  const sources = all(form, "b_source");
  const errors: Record<string, string> = {};
  const blocks: DraftBlock[] = ids.map((id, i) => {
    const text = sanitizeText(texts[i] ?? "");
    if (text.length > MAX_BLOCK_CHARS) errors[`block-${i}`] = `第 ${i + 1} 段过长（超过 ${MAX_BLOCK_CHARS} 字），请拆分`;
    const src = sources[i] ? blockSourceSchema.safeParse(safeJson(sources[i])) : null;
    const source = src?.success ? { source: src.data } : {};
    const level = levels[i] === "2" ? 2 : 1;
    if (types[i] === "heading") return { id, type: "heading", level, text: text.replace(/\n+/g, ""), ...source };
    if (types[i] === "table") {
      const rows = text.split("\n").filter((l) => l.trim()).map((l) => l.split("\t").map((c) => c.trim()));
      return { id, type: "table", rows, headerRows: 1, ...source };
    }
    const lead = sanitizeText(leads[i] ?? "").trim();
    return { id, type: "paragraph", text, ...(lead ? { lead: { level, text: lead } } : {}), ...source };
  });
  const outcome = z.enum(OUTCOMES).safeParse(one(form, "outcome"));
  const disclosure = z.enum(DISCLOSURES).safeParse(one(form, "disclosure"));
  const draft: Draft = {
    blocks,
    outcome: outcome.success ? outcome.data : null,
    disclosure: disclosure.success ? disclosure.data : null,
    disclosureReason: sanitizeText(one(form, "disclosureReason")).trim() || null,
    phone: sanitizeText(one(form, "phone")).trim(),
    printSignerName: one(form, "printSignerName") === "on",
    ...(form.has("addressee") ? { addressee: sanitizeText(one(form, "addressee")).trim() || null } : {}),
  };
  if (one(form, "disclosureReason").length > 500) errors.disclosureReason = "理由不能超过 500 字";
  return Object.keys(errors).length ? { ok: false, errors, draft } : { ok: true, draft };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** "up:3" / "add:paragraph:3" / "insert:12:3" / "accept:blockId" / "letter:7:0:3" (blocks 0–2 of signed letter 7) / "search" / "save" / "submit". */
export const opSchema = z.union([
  z.templateLiteral([z.enum(["up", "down", "remove"]), ":", z.number().int()]),
  z.templateLiteral(["add:", z.enum(["heading1", "heading2", "paragraph"]), ":", z.number().int()]),
  z.templateLiteral(["insert:", z.number().int(), ":", z.number().int()]),
  z.templateLiteral(["accept:", z.string()]),
  z.templateLiteral(["letter:", z.number().int(), ":", z.number().int(), ":", z.number().int()]),
  z.enum(["save", "autosave", "search", "submit", "keep-mine"]),
]);
export type EditorOp = z.output<typeof opSchema>;
