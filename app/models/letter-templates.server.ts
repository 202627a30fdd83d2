/**
 * Letter templates (templates/*.json: another bureau adds a file, not code), the proposal's facts a
 * template fills in, and the Letter a draft builds with them.
 */
import { config } from "~/config.server";
import fs from "node:fs";
import path from "node:path";
import { draftToLetterInput, type Draft, type ProposalFacts } from "~/domain/draft";
import { parseLetterTemplate, tryBuildLetter, type Letter, type LetterTemplate } from "~/domain/letter";
import type { getProposal } from "./proposal.server";

let templateCache: Map<string, LetterTemplate> | null = null;
export function loadTemplates(): Map<string, LetterTemplate> {
  if (templateCache) return templateCache;
  const dir = path.resolve("templates");
  const map = new Map<string, LetterTemplate>();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const t = parseLetterTemplate(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
    map.set(t.id, t);
  }
  templateCache = map;
  return map;
}

export function templateFor(bureauRole: string, templateId?: string): LetterTemplate {
  const all = loadTemplates();
  if (templateId && all.has(templateId)) return all.get(templateId)!;
  const kind = bureauRole === "co" ? "co_handling_opinion" : "reply";
  // LETTER_TEMPLATE: a template id (templates/*.json) to use for this kind instead of the first one.
  const chosen = config().LETTER_TEMPLATE;
  const t = chosen && all.get(chosen)?.kind === kind ? all.get(chosen)! : [...all.values()].find((x) => x.kind === kind);
  if (!t) throw new Error(`没有 ${kind} 类型的公文模板（templates/）`);
  return t;
}

export function proposalFacts(p: NonNullable<Awaited<ReturnType<typeof getProposal>>>): ProposalFacts {
  return { meeting: p.meeting, number: p.number, title: p.title, proposers: p.proposers, proposerTotal: p.proposerTotal, leadUnit: p.leadUnit, handlerName: p.handlerName ?? "" };
}

/** The letter as it would print now: a draft (watermarked) or the frozen signed one. */
export function previewLetter(template: LetterTemplate, facts: ProposalFacts, draft: Draft): { letter: Letter | null; errors: string[] } {
  const r = tryBuildLetter(template, draftToLetterInput(facts, draft));
  return r.ok ? { letter: r.letter, errors: [] } : { letter: null, errors: r.errors };
}
