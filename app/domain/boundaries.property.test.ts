/**
 * Property-based checks (fast-check) of the pure boundaries every form and URL passes through:
 * whatever a browser, a script or an attacker sends, they answer — never throw (a throw there
 * is a 500) — and what they return keeps its promises.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftFormSchema, draftFromForm, parseDraftFormSafely, readEditorOp } from "./draft-form";
import { parseReferenceQuery } from "./library";
import { sanitizeText } from "./letter";
import { splitAnnotation } from "./paragraph-import";
import { normalizeDateInput, parseProposers, parseProposerTotal, proposalInputSchema } from "./proposal";
import { safeRedirectTarget } from "./redirect";

/** Text as people and tools produce it: Chinese, ASCII, punctuation, control and odd characters. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(..."关于加快培育专精特新中小企业的建议，。；：“”（）〔〕【】—…、0123456789"),
    fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
    fc.constantFrom("\u0000", "\uFFFD", "\uD800", "\u200B", "\r", "\n", "\t", "%", "=", "+", "@", "/", "\\"),
  ),
  maxLength: 200,
});
const fieldName = fc.oneof(
  fc.constantFrom("baseRevisionId", "version", "outcome", "disclosure", "disclosureReason", "phone", "printSignerName", "q", "insertAt", "__intent__", "op"),
  fc.tuple(fc.nat(4), fc.constantFrom("id", "type", "level", "lead", "text", "source")).map(([i, k]) => `blocks[${i}].${k}`),
  text,
);

describe("boundaries never throw, whatever arrives", () => {
  it("the editor form: parsed, and a draft read from whatever was valid", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fieldName, text), { maxLength: 30 }), (pairs) => {
        const f = new FormData();
        for (const [k, v] of pairs) f.append(k, v);
        // A forged list intent is refused (null), never thrown out as a 500.
        const s = parseDraftFormSafely(() => parseWithZod(f, { schema: draftFormSchema }));
        const d = draftFromForm((s ? (s.status === "success" ? s.value : s.payload) : {}) as Record<string, unknown>);
        for (const b of d.blocks) if (b.type !== "table") expect(b.text).toBe(sanitizeText(b.text));
      }),
      { numRuns: 300 },
    );
  });

  it("editor operations: a typed op or null", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.json()), (raw) => {
        const op = readEditorOp(raw);
        if (op) expect(["save", "autosave", "submit", "search", "keep-mine", "insert", "letter", "accept"]).toContain(op.op);
      }),
    );
  });

  it("a proposal as registered: parsed or refused with messages, and the co-signer count never below the names", () => {
    fc.assert(
      fc.property(text, text, text, text, text, (meeting, number, title, proposers, date) => {
        const r = proposalInputSchema.safeParse({
          meeting,
          number,
          title,
          proposers: parseProposers(proposers),
          proposerTotal: parseProposerTotal(proposers),
          bureauRole: "lead",
          assignedOn: date,
        });
        if (!r.success) expect(r.error.issues.every((i) => typeof i.message === "string" && i.message.length > 0)).toBe(true);
        expect(typeof normalizeDateInput(date)).toBe("string");
      }),
    );
  });

  it("URLs: a redirect target is always a path on this site; a reference query is a number or null", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.webUrl(), fc.webPath()), (to) => {
        const target = safeRedirectTarget(to);
        expect(target.startsWith("/")).toBe(true);
        expect(target.startsWith("//")).toBe(false);
        expect(new URL(target, "http://this-app.invalid").origin).toBe("http://this-app.invalid");
        const ref = parseReferenceQuery(to);
        if (ref?.kind === "letter") expect(Number.isInteger(ref.no)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("text hygiene is idempotent, and splitting off responsibility tags loses no text", () => {
    fc.assert(
      fc.property(text, text, (body, units) => {
        expect(sanitizeText(sanitizeText(body))).toBe(sanitizeText(body));
        const tagged = `${body}（市${units}局牵头）`;
        const split = splitAnnotation(tagged);
        // Only whitespace between the text and its tags may go.
        const squeeze = (s: string) => s.replace(/\s+/g, "");
        expect(squeeze(split.text + (split.annotation ? `（${split.annotation}）` : ""))).toBe(squeeze(tagged));
      }),
    );
  });
});
