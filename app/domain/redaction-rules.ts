/**
 * Redaction rules (data: exact text or a pattern, for every reply or one), compiled for the
 * public site. A pattern runs on every published text at every public request, so it runs on
 * RE2JS, a linear-time engine: on JavaScript's backtracking engine a rule such as `(.+)+■` — an
 * honest typo is enough — held the server's one thread for good (ReDoS). RE2 has no look-around
 * and no back-references; the usual patterns (classes, counts, alternatives) read the same.
 * Kept apart from redaction.ts, which the browser bundles.
 */
import { RE2JS } from "re2js";
import type { RuleMatcher } from "./redaction";

export type RedactionRule = { kind: "text" | "pattern"; match: string };

function compilePattern(source: string): RE2JS | null {
  try {
    return RE2JS.compile(source);
  } catch {
    return null;
  }
}

/** Why a rule cannot be added, or null. */
export function redactionRuleProblem(r: RedactionRule): string | null {
  if (!r.match.trim()) return "请填写要隐去的文字或规则";
  if (r.match.length > 200) return "规则过长（最多 200 个字符）";
  if (r.kind === "pattern") {
    const re = compilePattern(r.match);
    if (!re) return "规则不是有效的正则表达式（不支持向前、向后查找和反向引用）";
    if (re.matcher("").find()) return "规则会匹配空文字，请写得更具体";
  }
  return null;
}

/**
 * A pattern saved before patterns ran on RE2 that RE2 cannot read (look-around, a back-reference):
 * it still applies, on JavaScript's engine, so that nothing it hid is published; the rules page
 * asks for it to be rewritten.
 */
export function isLegacyPattern(r: RedactionRule): boolean {
  if (r.kind !== "pattern" || compilePattern(r.match)) return false;
  try {
    return !new RegExp(r.match, "u").test("");
  } catch {
    return false;
  }
}

export function compileRules(rules: readonly RedactionRule[]): RuleMatcher[] {
  const out: RuleMatcher[] = [];
  for (const r of rules) {
    if (!r.match) continue;
    if (r.kind === "text") {
      const needle = r.match;
      out.push((text) => {
        const found: [number, number][] = [];
        for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) found.push([i, i + needle.length]);
        return found;
      });
      continue;
    }
    const re = compilePattern(r.match);
    if (re) {
      out.push((text) => {
        const found: [number, number][] = [];
        const m = re.matcher(text);
        while (m.find()) if (m.end() > m.start()) found.push([m.start(), m.end()]);
        return found;
      });
    } else if (isLegacyPattern(r)) {
      const legacy = new RegExp(r.match, "gu");
      out.push((text) => [...text.matchAll(legacy)].filter((m) => m[0].length).map((m) => [m.index, m.index + m[0].length] as [number, number]));
    }
  }
  return out;
}
