/**
 * Redaction rules (data: exact text or a pattern, for every reply or one), compiled for the
 * public site. A pattern runs on every published text at every public request, so it runs on
 * RE2JS, a linear-time engine: on JavaScript's backtracking engine a rule such as `(.+)+■` — an
 * honest typo is enough — held the server's one thread for good (ReDoS). RE2 has no look-around
 * and no back-references; the usual patterns (classes, counts, alternatives) read the same.
 * Kept apart from redaction.ts, which the browser bundles.
 */
import { RE2JS } from "re2js";
import { sanitizeText } from "./letter";
import { shadowOf, type RuleMatcher } from "./redaction";

export type RedactionRule = { kind: "text" | "pattern"; match: string };

/** JavaScript's \s with the u flag: ASCII whitespace and the Unicode spaces (the full-width 　 among them); RE2's is ASCII only. */
const JS_SPACES = "\\s\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}";

/**
 * A pattern as JavaScript reads it (the rules page says "正则表达式", and people write them so),
 * in RE2's syntax with the same meaning: \s takes the Unicode spaces too, . stops at every line
 * break, \uXXXX and \u{…} are \x{…}. Null where RE2 cannot say the same (\S inside a class).
 */
export function toRe2Syntax(source: string): string | null {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const n = source[i + 1];
      if (n === undefined) return null;
      if (n === "s") out += inClass ? JS_SPACES : `[${JS_SPACES}]`;
      else if (n === "S") {
        if (inClass) return null;
        out += `[^${JS_SPACES}]`;
      } else if (n === "u") {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(source.slice(i + 2));
        const plain = /^[0-9a-fA-F]{4}/.exec(source.slice(i + 2));
        if (braced) {
          out += `\\x{${braced[1]}}`;
          i += braced[0].length;
        } else if (plain) {
          out += `\\x{${plain[0]}}`;
          i += 4;
        } else return null;
      } else if ((n === "p" || n === "P") && /^\{(?:Script|sc)=/.test(source.slice(i + 2))) {
        // \p{Script=Han} in JavaScript is \p{Han} in RE2
        const m = /^\{(?:Script|sc)=([A-Za-z_]+)\}/.exec(source.slice(i + 2));
        if (!m) return null;
        out += `\\${n}{${m[1]}}`;
        i += m[0].length;
      } else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (source[i + 1] === "^") out += source[++i];
      // [] and [^] (nothing, anything) in JavaScript; RE2 reads the ] as a character
      if (source[i + 1] === "]") return null;
    } else out += c === "." ? "[^\\n\\r\\x{2028}\\x{2029}]" : c;
  }
  return out;
}

function compilePattern(source: string): RE2JS | null {
  const re2 = toRe2Syntax(source);
  if (re2 === null) return null;
  try {
    return RE2JS.compile(re2);
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

/**
 * `text` in NFKC, with where each of its UTF-16 units came from in `text` (the start and end of the
 * character and its combining marks it is part of), so a match in the normal form masks the original.
 */
function normalizedWithOrigin(text: string): { normal: string; origin: [number, number][] } {
  let normal = "";
  const origin: [number, number][] = [];
  // a character with the combining marks after it: the unit that normalizes on its own
  for (const m of text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    const piece = m[0].normalize("NFKC");
    const span: [number, number] = [m.index, m.index + m[0].length];
    normal += piece;
    for (let k = 0; k < piece.length; k++) origin.push(span);
  }
  return { normal, origin };
}

export function compileRules(rules: readonly RedactionRule[]): RuleMatcher[] {
  const out: RuleMatcher[] = [];
  for (const r of rules) {
    if (!r.match) continue;
    // Each rule also runs on the text's full-width-folded shadow (as the contact masking does):
    // "９１４４…" is hidden by 91[0-9A-Z]{16} too. Both runs' matches are hidden, so a rule written
    // with full-width punctuation (联系人：) still matches the original.
    if (r.kind === "text") {
      // as the text it is looked for in (sanitized, see redactText): a trailing space or a zero-width
      // character pasted with the name made a rule that hid nothing
      const needle = sanitizeText(r.match).trim();
      if (!needle) continue;
      const folded = shadowOf(needle);
      const find = (text: string, what: string, found: [number, number][]) => {
        for (let i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length)) found.push([i, i + what.length]);
      };
      const canonical = needle.normalize("NFKC");
      out.push((text) => {
        const found: [number, number][] = [];
        find(text, needle, found);
        find(shadowOf(text), folded, found);
        // the same text in another Unicode form: é typed as e + U+0301, ⾼ (a Kangxi radical pasted
        // from a PDF) for 高 — a rule typed the usual way hid nothing there
        if (text.normalize("NFKC") !== text || canonical !== needle) {
          const { normal, origin } = normalizedWithOrigin(text);
          for (let i = normal.indexOf(canonical); i >= 0 && canonical; i = normal.indexOf(canonical, i + canonical.length))
            found.push([origin[i]![0], origin[i + canonical.length - 1]![1]]);
        }
        return found;
      });
      continue;
    }
    const re = compilePattern(r.match);
    if (re) {
      out.push((text) => {
        const found: [number, number][] = [];
        for (const t of [text, shadowOf(text)]) {
          const m = re.matcher(t);
          while (m.find()) if (m.end() > m.start()) found.push([m.start(), m.end()]);
        }
        return found;
      });
    } else if (isLegacyPattern(r)) {
      const legacy = new RegExp(r.match, "gu");
      out.push((text) =>
        [text, shadowOf(text)].flatMap((t) => [...t.matchAll(legacy)].filter((m) => m[0].length).map((m) => [m.index, m.index + m[0].length] as [number, number])),
      );
    }
  }
  return out;
}
