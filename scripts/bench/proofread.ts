/**
 * 公文校对, measured: precision and recall of app/domain/proofread.ts on the labelled set
 * seeds/proofread/planted.json (one error planted into each otherwise clean sentence taken from the
 * published policy documents and the letters' correct passages, plus must-not-flag traps), overall
 * and per rule, and the number of must-fix findings on the three published policy documents
 * (target: 0, they are negative fixtures).
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type Finding, proofreadText } from "../../app/domain/proofread";
import type { BenchModule } from "../bench";

const setSchema = z.object({
  planted: z.array(z.object({ text: z.string(), rule: z.string(), excerpt: z.string() })).min(1),
  clean: z.array(z.string()),
});

export const PLANTED_FILE = path.resolve("seeds/proofread/planted.json");
export const POLICY_FILES = ["policy-dongfu-2021-10.txt", "policy-electronic-info-action-plan.txt", "policy-smart-terminal-cluster-2023-2025.txt"].map((f) =>
  path.resolve("seeds/source", f),
);

const ratio = (a: number, b: number) => (b === 0 ? null : +(a / b).toFixed(3));

export function evaluate(set: z.infer<typeof setSchema>) {
  const per: Record<string, { planted: number; found: number; findings: number; correct: number }> = {};
  const row = (rule: string) => (per[rule] ??= { planted: 0, found: 0, findings: 0, correct: 0 });
  const missed: { rule: string; excerpt: string; text: string; got: string[] }[] = [];
  const falseAlarms: { rule: string; excerpt: string; text: string }[] = [];
  const matches = (f: Finding, p: { rule: string; excerpt: string }) => f.rule === p.rule && f.excerpt === p.excerpt;
  for (const p of set.planted) {
    const got = proofreadText(p.text);
    row(p.rule).planted++;
    if (got.some((f) => matches(f, p))) row(p.rule).found++;
    else missed.push({ rule: p.rule, excerpt: p.excerpt, text: p.text, got: got.map((f) => `${f.rule}:${f.excerpt}`) });
    for (const f of got) {
      row(f.rule).findings++;
      if (matches(f, p)) row(f.rule).correct++;
      else falseAlarms.push({ rule: f.rule, excerpt: f.excerpt, text: p.text });
    }
  }
  for (const text of set.clean) {
    for (const f of proofreadText(text)) {
      row(f.rule).findings++;
      falseAlarms.push({ rule: f.rule, excerpt: f.excerpt, text });
    }
  }
  const sum = (k: "planted" | "found" | "findings" | "correct") => Object.values(per).reduce((s, r) => s + r[k], 0);
  const perRule = Object.fromEntries(
    Object.entries(per)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, r]) => [rule, { planted: r.planted, recall: ratio(r.found, r.planted), findings: r.findings, precision: ratio(r.correct, r.findings) }]),
  );
  return {
    planted: set.planted.length,
    cleanSentences: set.clean.length,
    recall: ratio(sum("found"), sum("planted")),
    precision: ratio(sum("correct"), sum("findings")),
    perRule,
    missed,
    falseAlarms,
  };
}

export const bench: BenchModule = {
  name: "proofread",
  summary: "公文校对的质量：植入错误评测集上的查准率、查全率（总体与分规则），三份已发布政策文件上“必须修改”的条数（目标 0）",
  run: async () => {
    const set = setSchema.parse(JSON.parse(fs.readFileSync(PLANTED_FILE, "utf8")));
    const t0 = performance.now();
    const result = evaluate(set);
    const policyMust: Record<string, number> = {};
    const policyAll: Record<string, number> = {};
    for (const file of POLICY_FILES) {
      const findings = proofreadText(fs.readFileSync(file, "utf8"));
      policyMust[path.basename(file)] = findings.filter((f) => f.severity === "must").length;
      policyAll[path.basename(file)] = findings.length;
    }
    const ms = +(performance.now() - t0).toFixed(1);
    console.log(`查全率 ${result.recall}，查准率 ${result.precision}（${result.planted} 处植入错误，${result.cleanSentences} 句陷阱）`);
    console.log(`政策文件“必须修改”：${JSON.stringify(policyMust)}`);
    return { ...result, policyMustFindings: policyMust, policyAllFindings: policyAll, elapsedMs: ms };
  },
};
