/** For the proofreader's tests: a draft of the reply template about 108's proposal, built into its letter. */
import { readFileSync } from "node:fs";
import { type Draft, draftToLetterInput, emptyDraft, type ProposalFacts } from "../draft";
import { parseLetterTemplate, tryBuildLetter } from "../letter";

const template = parseLetterTemplate(JSON.parse(readFileSync("templates/reply-dg-gxj.json", "utf8")));
const facts: ProposalFacts = {
  meeting: "东莞市政协第十三届六次会议",
  number: "10121",
  title: "关于打造世界级智能终端产业基地的建议",
  proposers: [{ kind: "body", name: "民建市委会" }],
  handlerName: "李泳",
};

export const draftOf = (blocks: Draft["blocks"]): Draft => ({ ...emptyDraft("28685020", false), blocks, outcome: "A", disclosure: "主动公开" });

export function letterOf(d: Draft) {
  const r = tryBuildLetter(template, draftToLetterInput(facts, d));
  if (!r.ok) throw new Error(r.errors.join());
  return r.letter;
}
