/**
 * Character-level rules: punctuation (GB/T 15834), spacing, look-alike code points, duplicated
 * characters, the word-pair list and numbers (GB/T 15835). Each rule reads the normalised Doc.
 */
import wordsJson from "../proofread-words.json";
import { hanziOutsideGb2312 } from "../gb2312";
import type { Doc, RawFinding, Severity } from "./types";
import { HAN_CLASS, escapeRe, isCnNumeral, isCnPunct, isDigit, isHan, isLatin } from "./util";

type Push = (f: RawFinding) => void;

const HALF_TO_FULL: Record<string, string> = { ",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）" };

/** URLs and e-mail addresses are skipped by the punctuation rules. */
function maskedRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  // (an address starts where its run of letters does: tried from inside a long run without an @,
  // the pattern read the rest of the run again at every letter — seconds for a pasted string)
  for (const m of text.matchAll(/(?:https?:\/\/|www\.)[\x21-\x7e]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+/g)) out.push([m.index, m.index + m[0].length]);
  return out;
}
const inRanges = (rs: [number, number][], i: number) => rs.some(([a, b]) => i >= a && i < b);

// ---------------------------------------------------------------------------
// Punctuation
// ---------------------------------------------------------------------------

export function punctHalfwidth(doc: Doc, push: Push) {
  const t = doc.text;
  const masked = maskedRanges(t);
  const cnSide = (c: string | undefined) => isHan(c) || isCnPunct(c);
  // the "." between two hanzi inside 《》 “” （） of its paragraph, and a label's (附表.国家…, within
  // a paragraph's first four characters) — one pass, open marks counted
  const insideMarks = new Set<number>();
  const label = new Set<number>();
  let depth = 0;
  let lineStart = 0;
  for (let i = 0; i < t.length; i++) {
    const c = doc.resolved[i];
    if (c === "\n") {
      depth = 0;
      lineStart = i + 1;
    } else if (c === "《" || c === "“" || c === "（" || c === "(") depth++;
    else if ((c === "》" || c === "”" || c === "）" || c === ")") && depth > 0) depth--;
    else if (c === ".") {
      if (depth > 0) insideMarks.add(i);
      if (i - lineStart <= 4) label.add(i);
    }
  }
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (!(c in HALF_TO_FULL) && c !== ".") continue;
    if (inRanges(masked, i)) continue;
    const p = t[i - 1];
    const n = t[i + 1];
    if (c === ".") {
      // a sentence-final full stop after Chinese: 推进. → 推进。 (never 1. / 3.6 / ...)
      if (isHan(p) && (n === undefined || n === "\n" || n === " " || n === "”" || n === "’")) {
        push({ rule: "punct.halfwidth", severity: "must", message: "中文句末用全角句号“。”，不用半角“.”（GB/T 15834-2011）。", start: i, end: i + 1, suggestion: "。" });
      } else if (isHan(p) && isHan(n) && !label.has(i)) {
        // 实现高质量发展.全市… : a full stop mid-paragraph. Inside 《》 “” （） it may be a 间隔号 typed
        // as "."（《计划.东莞专项》）: found, the mark left to the clerk
        const enclosed = insideMarks.has(i);
        push({
          rule: "punct.halfwidth",
          severity: "must",
          message: enclosed ? "中文中间的半角“.”：句号用“。”，间隔号用“·”（GB/T 15834-2011）。" : "中文句子之间用全角句号“。”，不用半角“.”（GB/T 15834-2011）。",
          start: i,
          end: i + 1,
          ...(enclosed ? {} : { suggestion: "。" }),
        });
      }
      continue;
    }
    if (c === "(" || c === ")") continue; // handled with their pair below
    if (isDigit(p) && isDigit(n)) continue; // 1:1, 10:30, 12,500
    if (!(cnSide(p) || cnSide(n))) continue;
    const severity: Severity = c === ":" && !isHan(p) ? "should" : "must";
    push({
      rule: "punct.halfwidth",
      severity,
      message: `中文文本中应使用全角标点“${HALF_TO_FULL[c]}”，不用半角“${c}”（GB/T 15834-2011）。`,
      start: i,
      end: i + 1,
      suggestion: HALF_TO_FULL[c],
    });
  }
  // ( … ) with Chinese inside or beside → （ … ）. Severity should: converted PDFs are full of them.
  const halfPairs = new Set<number>();
  for (const m of t.matchAll(/\(([^()\n]{0,80})\)/g)) {
    const a = m.index;
    const b = a + m[0].length - 1;
    halfPairs.add(a).add(b);
    if (inRanges(masked, a)) continue;
    const inner = m[1];
    const chinese = new RegExp(`[${HAN_CLASS}]`).test(inner) || isHan(t[a - 1]) || isHan(t[b + 1]) || isCnPunct(t[b + 1]);
    if (!chinese) continue;
    if (/^\d+$/.test(inner) && isDigit(t[b + 1])) continue; // (0769)28685020
    for (const [k, full] of [
      [a, "（"],
      [b, "）"],
    ] as const) {
      push({ rule: "punct.halfwidth", severity: "should", message: `中文文本中的括号用全角“${full}”（GB/T 15834-2011）。`, start: k, end: k + 1, suggestion: full });
    }
  }
  // One half of a pair full-width, the other not: （2021—2025年) / (2021—2025年）
  // The nearest bracket on the same line before each ")" and after each "(", in one pass each way
  // (scanning the line for every bracket was quadratic: 22 s for a line of 40,000 of them).
  const nearest = new Map<number, string | undefined>();
  let seen: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === "\n") seen = undefined;
    else if ("（）()".includes(c)) {
      if (c === ")") nearest.set(i, seen);
      seen = c;
    }
  }
  seen = undefined;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i]!;
    if (c === "\n") seen = undefined;
    else if ("（）()".includes(c)) {
      if (c === "(") nearest.set(i, seen);
      seen = c;
    }
  }
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if ((c !== "(" && c !== ")") || halfPairs.has(i) || inRanges(masked, i)) continue;
    const partner = nearest.get(i) === (c === ")" ? "（" : "）");
    if (!partner) continue;
    const full = c === "(" ? "（" : "）";
    push({ rule: "punct.halfwidth", severity: "must", message: `括号一半全角、一半半角：应为全角“${full}”（GB/T 15834-2011）。`, start: i, end: i + 1, suggestion: full });
  }
}

/**
 * The curly quote each straight one in a paragraph stands for, read by position among all the
 * paragraph's quotes of that kind (curly ones included): they alternate open, close, open… A
 * straight quote after “ closes it — the clerk who fixes one of three pairs at a time gets the
 * rest of the fixes (the curly quote used to drop every suggestion in the paragraph).
 * `paired` is false where the reading is not the only one: an odd count or a curly quote at the
 * wrong place (no suggestion in the paragraph), and for double quotes, straight ones between a
 * “ and the next quote being ”: “推动"专精特新"企业” may be “推动‘专精特新’企业” (a person sets ‘’).
 */
function quotesByPosition(seq: { pos: number; ch: string }[], open: string, close: string, nests: boolean): { pos: number; to: string; paired: boolean }[] {
  const consistent = seq.length % 2 === 0 && seq.every((q, k) => (q.ch === open ? k % 2 === 0 : q.ch === close ? k % 2 === 1 : true));
  const ambiguous = new Set<number>();
  if (consistent && nests) {
    for (let a = 0; a < seq.length; a++) {
      if (seq[a]!.ch !== open) continue;
      let b = a + 1;
      while (b < seq.length && seq[b]!.ch !== open && seq[b]!.ch !== close) b++;
      if (b < seq.length && seq[b]!.ch === close) for (let k = a + 1; k < b; k++) ambiguous.add(k);
    }
  }
  const out: { pos: number; to: string; paired: boolean }[] = [];
  seq.forEach((q, k) => {
    if (q.ch === open || q.ch === close) return;
    out.push({ pos: q.pos, to: k % 2 === 0 ? open : close, paired: consistent && !ambiguous.has(k) });
  });
  return out;
}

/** Straight quotes → curly ones (paired within a paragraph); fills doc.resolved. */
export function resolveQuotes(doc: Doc): { pos: number; to: string; paired: boolean }[] {
  const t = doc.text;
  const out: { pos: number; to: string; paired: boolean }[] = [];
  let res = "";
  for (const p of doc.paras) {
    const seg = t.slice(p.start, p.end);
    if (!new RegExp(`[${HAN_CLASS}]`).test(seg)) continue;
    const dbl: { pos: number; ch: string }[] = [];
    const sgl: { pos: number; ch: string }[] = [];
    for (let i = 0; i < seg.length; i++) {
      const c = seg[i]!;
      if (c === "“" || c === "”" || c === '"') dbl.push({ pos: p.start + i, ch: c });
      else if (c === "‘" || c === "’" || (c === "'" && !(isLatin(seg[i - 1]) && isLatin(seg[i + 1])))) sgl.push({ pos: p.start + i, ch: c });
    }
    if (dbl.some((q) => q.ch === '"')) out.push(...quotesByPosition(dbl, "“", "”", true));
    if (sgl.some((q) => q.ch === "'")) out.push(...quotesByPosition(sgl, "‘", "’", false));
  }
  out.sort((a, b) => a.pos - b.pos);
  // one pass over the characters (a slice per quote was quadratic on a long paste)
  const chars = t.split("");
  for (const o of out) chars[o.pos] = o.to;
  res = chars.join("");
  doc.resolved = res;
  return out;
}

export function punctQuotes(doc: Doc, push: Push, resolved: { pos: number; to: string; paired: boolean }[]) {
  const curly = /[“”‘’]/.test(doc.text);
  for (const r of resolved) {
    const c = doc.text[r.pos];
    const msg = `中文文本中的引号用弯引号“${r.to}”，不用直引号${c === '"' ? "\u0022" : "'"}（GB/T 15834-2011 4.1）${curly ? "；本文其他地方已用弯引号，前后不一致" : ""}。`;
    push({ rule: "punct.quotes", severity: "must", message: msg, start: r.pos, end: r.pos + 1, ...(r.paired ? { suggestion: r.to } : {}) });
  }
}

const PAIRS: Record<string, string> = { "“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "(": "）", "【": "】", "〔": "〕" };
const CLOSERS: Record<string, string> = { "”": "“", "’": "‘", "》": "《", "〉": "〈", "）": "（", ")": "（", "】": "【", "〕": "〔" };

export function punctBalance(doc: Doc, push: Push) {
  const t = doc.resolved;
  let carry: { ch: string; pos: number; old?: boolean }[] = [];
  const report = (s: { ch: string; pos: number }) =>
    push({
      rule: "punct.unbalanced",
      severity: "must",
      message: `“${doc.text[s.pos]}”没有对应的“${PAIRS[s.ch]}”：成对标点须配对（GB/T 15834-2011）。`,
      start: s.pos,
      end: s.pos + 1,
    });
  // (counts of what is open, and the next 》 found once: a pasted run of 《 or 》 took seconds
  // when each looked through the whole stack or the rest of the text again)
  let nextTitleClose = -2;
  doc.paras.forEach((p, n) => {
    // an opener left open may close on the next line (a wrapped line the normaliser did not join)
    const stack: { ch: string; pos: number; old?: boolean }[] = doc.mode === "text" ? carry.map((c) => ({ ...c, old: true })) : [];
    // A quotation running on over several paragraphs opens each with “ again and closes only at
    // its end (GB/T 15834-2011 4.1): the “ left open above is continued here, not unpaired.
    if (doc.mode === "text" && t.slice(p.start, p.end).trimStart().startsWith("“")) {
      if (stack.at(-1)?.ch === "“") stack.pop();
    }
    const open = new Map<string, number>();
    for (const s of stack) open.set(s.ch, (open.get(s.ch) ?? 0) + 1);
    const drop = (from: number) => {
      for (const s of stack.slice(from)) open.set(s.ch, open.get(s.ch)! - 1);
      stack.splice(from);
    };
    for (let i = p.start; i < p.end; i++) {
      let c = t[i];
      if (c === "(") c = "（";
      if (c === ")") c = "）";
      if (c in PAIRS) {
        if (c === "《" && open.get("《")) {
          if (nextTitleClose !== -1 && nextTitleClose < i) nextTitleClose = t.indexOf("》", i);
          const close = nextTitleClose;
          if (close > 0 && close < p.end) {
            push({ rule: "punct.nested-title", severity: "should", message: "书名号里的书名号用单书名号〈〉（GB/T 15834-2011 4.15）。", start: i, end: i + 1, suggestion: "〈" });
            push({
              rule: "punct.nested-title",
              severity: "should",
              message: "书名号里的书名号用单书名号〈〉（GB/T 15834-2011 4.15）。",
              start: close,
              end: close + 1,
              suggestion: "〉",
            });
            i = close;
            continue;
          }
        }
        stack.push({ ch: c, pos: i });
        open.set(c, (open.get(c) ?? 0) + 1);
      } else if (c in CLOSERS) {
        const opener = CLOSERS[c];
        let k = -1;
        if (open.get(opener)) for (k = stack.length - 1; stack[k]!.ch !== opener; k--);
        if (k >= 0) {
          for (const s of stack.slice(k + 1)) report(s);
          drop(k);
        } else {
          // "1）" "a)" list markers at a paragraph start are not brackets, nor inside it after a
          // ：；。， (…如下：1）加强领导；2）完善政策。)
          if (/^[\dA-Za-z一二三四五六七八九十]{1,2}$/.test(t.slice(p.start, i))) continue;
          if (/(?:^|[：；。，:;])[\dA-Za-z]{1,2}$/.test(t.slice(Math.max(p.start, i - 3), i))) continue;
          push({ rule: "punct.unbalanced", severity: "must", message: `“${t[i]}”没有对应的“${opener}”：成对标点须配对（GB/T 15834-2011）。`, start: i, end: i + 1 });
        }
      }
    }
    if (doc.mode === "text") {
      for (const s of stack.filter((x) => x.old)) report(s);
      carry = stack.filter((x) => !x.old);
      return;
    }
    // A letter's paragraphs are its blocks: what is open at a block's end is unclosed — except a
    // quotation running on into the next paragraph, which opens it with “ again (GB/T 15834-2011).
    const next = doc.paras[n + 1];
    const runsOn = next && t.slice(next.start, next.end).trimStart().startsWith("“");
    for (const s of stack) if (!(s.ch === "“" && runsOn)) report(s);
  });
  for (const s of carry) report(s);
}

export function punctEnumComma(doc: Doc, push: Push) {
  for (const m of doc.resolved.matchAll(/[》”]、[《“]/g)) {
    const pair = doc.resolved[m.index] === "》" ? "书名号" : "引号";
    push({
      rule: "punct.enum-comma",
      severity: "should",
      message: `标有${pair}的并列成分之间通常不用顿号（GB/T 15834-2011 4.5.3.5）。`,
      start: m.index + 1,
      end: m.index + 2,
      suggestion: "",
    });
  }
}

/**
 * Two superlatives modifying one noun, joined by a comma: 集成度最高，功能最齐全的中心 → 、 (PUNC-11:
 * a comma where the 顿号 belongs between parallel modifiers — letter 108 went out with it). Narrow on
 * purpose: the second must end in 的 and not open a clause (其中、也、但… : 增速最快，其中增幅最大的是…).
 */
const MODIFIER_COMMA = new RegExp(
  `(?<=[${HAN_CLASS}]{1,6}最[${HAN_CLASS}]{1,3})，(?=(?!其中|而|但|也|都|还|并|且|是|即|尤其|特别)[${HAN_CLASS}]{1,6}最[${HAN_CLASS}]{1,3}的)`,
  "g",
);
export function punctModifierComma(doc: Doc, push: Push) {
  for (const m of doc.text.matchAll(MODIFIER_COMMA))
    push({
      rule: "punct.modifier-comma",
      severity: "should",
      message: "并列修饰同一名词的两个成分之间用顿号，不用逗号（GB/T 15834-2011 4.5.3.1）。",
      start: m.index,
      end: m.index + 1,
      suggestion: "、",
    });
}

/**
 * A list of nouns with the same head, separated by commas and closed by 等: 优质企业，上市企业…，外贸出口
 * 企业，…500强企业等 → 、 (PUNC-11: letter 108 went out with it). Narrow on purpose: at least three
 * items ending in the same two characters, every item after the first short and without punctuation
 * (the first may carry the verb that opens the list), the last followed by 等.
 */
const LIST_ITEM = new RegExp(`^[${HAN_CLASS}0-9]{2,16}$`);
const LIST_LAST = new RegExp(`^[${HAN_CLASS}0-9]{2,16}等`);
export function punctListComma(doc: Doc, push: Push) {
  const t = doc.text;
  for (const sentence of t.matchAll(/[^。；！？：\n]+/g)) {
    const items: { text: string; start: number }[] = [];
    let at = sentence.index;
    for (const text of sentence[0].split("，")) {
      items.push({ text, start: at });
      at += text.length + 1;
    }
    for (let i = 0; i < items.length; i++) {
      const head = items[i].text.slice(-2);
      if (head.length < 2 || !isHan(head[0]) || !isHan(head[1])) continue;
      let j = i + 1;
      while (j < items.length && LIST_ITEM.test(items[j].text) && items[j].text.endsWith(head)) j++;
      const closed = j - i >= 2 && j < items.length && LIST_LAST.test(items[j].text) && items[j].text.slice(0, items[j].text.indexOf("等")).endsWith(head);
      // a run that is no list: starting again inside it would end at the same item (linear on long text)
      if (!closed) {
        i = Math.max(i, j - 1);
        continue;
      }
      for (let k = i + 1; k <= j; k++)
        push({
          rule: "punct.list-comma",
          severity: "should",
          message: "并列的词语之间用顿号，不用逗号（GB/T 15834-2011 4.5.3.1）。",
          start: items[k].start - 1,
          end: items[k].start,
          suggestion: "、",
        });
      i = j;
    }
  }
}

/**
 * A 顿号 joining two clauses, each with its own verb: 推动34家企业认定为国家“小巨人”企业、实现国家级“小巨人”
 * 零的突破 → ， (PUNC-11: letter 108). The 顿号 is for words and short phrases; between clauses a
 * comma. Only where both sides are long, each opens with a verb, the left one is not a 是…
 * predicate (是推进新型工业化、建设制造强国的战略举措 lists two phrases, rightly) and not the end of a
 * series of 顿号 (…高级化、产业链现代化、提升制造业竞争力、建设现代产业体系的…). 请核对: a judgement.
 */
const CLAUSE_VERBS = "实现|推动|促进|带动|形成|完成|取得|获得|达到|提升|引导|加快|推进|打造|建成|建设|培育|引进|支持|鼓励|落实|开展|组织|认定";
const CLAUSE_LEFT = new RegExp(`^[^，。；：、\\n]{0,4}(?:${CLAUSE_VERBS})[^，。；：、\\n]{4,}$`);
const CLAUSE_RIGHT = new RegExp(`^(?:${CLAUSE_VERBS})[^，。；：、\\n]{6,}[，。；]`);
const CLAUSE_STOPS = "，。；：、\n";
export function punctClauseComma(doc: Doc, push: Push) {
  const t = doc.text;
  for (let i = t.indexOf("、"); i >= 0; i = t.indexOf("、", i + 1)) {
    // each side is read up to its clause's end, at most 60 characters: long text stays linear
    let from = i;
    while (from > 0 && i - from < 60 && !CLAUSE_STOPS.includes(t[from - 1])) from--;
    if (from > 0 && !CLAUSE_STOPS.includes(t[from - 1])) continue;
    if (t[from - 1] === "、") continue; // the last of a series of 、: a list of parallel phrases
    const left = t.slice(from, i);
    if (left.includes("是") || !CLAUSE_LEFT.test(left) || !CLAUSE_RIGHT.test(t.slice(i + 1, i + 62))) continue;
    push({
      rule: "punct.clause-comma",
      severity: "check",
      message: "顿号用于并列的词语之间；这里连接的是两个各有谓语的分句，宜用逗号（GB/T 15834-2011 4.5.3.1、4.3）。",
      start: i,
      end: i + 1,
      suggestion: "，",
    });
  }
}

export function punctDoubled(doc: Doc, push: Push) {
  const t = doc.text;
  for (const m of t.matchAll(/([，。、；：？！])([，。、；：？！])/g)) {
    const [, a, b] = m;
    if ((a === "？" || a === "！") && (b === "？" || b === "！")) continue;
    if (a === "。" && b === "。" && (t[m.index + 2] === "。" || t[m.index - 1] === "。")) continue; // 。。。 is an ellipsis
    push({
      rule: "punct.doubled",
      severity: "must",
      message: `标点“${a}${b}”重复或冲突，只保留一个（GB/T 15834-2011）。`,
      start: m.index,
      end: m.index + 2,
      ...(a === b ? { suggestion: a } : {}),
    });
  }
}

export function punctEllipsisDash(doc: Doc, push: Push) {
  const t = doc.text;
  for (const m of t.matchAll(/\.{3,}|。{3,}|(?<!…)…(?!…)|…{3,}/g)) {
    const near = isHan(t[m.index - 1]) || isHan(t[m.index + m[0].length]) || isCnPunct(t[m.index - 1]);
    if (!near) continue;
    push({
      rule: "punct.ellipsis",
      severity: "must",
      message: "省略号是两个“…”连用，写作“……”（GB/T 15834-2011 4.11）。",
      start: m.index,
      end: m.index + m[0].length,
      suggestion: "……",
    });
  }
  for (const m of t.matchAll(/……等/g)) {
    push({ rule: "punct.ellipsis", severity: "should", message: "省略号和“等”不能同时使用，二者选一（GB/T 15834-2011 4.11）。", start: m.index, end: m.index + 3 });
  }
  for (const m of t.matchAll(/(?<=[\u4e00-\u9fff])(?:--|－－|——?-|―{1,2}|─{1,2})(?=[\u4e00-\u9fff“《])/g)) {
    // one ― or ─ alone may be a 破折号 or a 一字线 (old GB 2312 converters write ― for the latter:
    // 源头创新―技术创新―成果转化): the mark is wrong either way, the right one is for a person to choose
    const single = m[0] === "―" || m[0] === "─";
    push({
      rule: "punct.dash",
      severity: "must",
      message: single
        ? "“―”不是规范的标点：破折号写作“——”，连接号（一字线）写作“—”（GB/T 15834-2011 4.9、4.13），请按文意改正。"
        : "破折号是两个一字线“——”（U+2014），不用“--”或其他横线（GB/T 15834-2011 4.9）。",
      start: m.index,
      end: m.index + m[0].length,
      ...(single ? {} : { suggestion: "——" }),
    });
  }
  for (const m of t.matchAll(/(?<=[\u4e00-\u9fff])[•・‧∙](?=[\u4e00-\u9fff])/g)) {
    push({
      rule: "punct.interpunct",
      severity: "should",
      message: "间隔号用“·”（U+00B7），不用“•”“・”等（GB/T 15834-2011 4.14）。",
      start: m.index,
      end: m.index + 1,
      suggestion: "·",
    });
  }
}

/** Ranges: 2020-2022 / 2020－2022 / 3~5 → — or ～ (GB/T 15834-2011 4.13). */
export function punctRange(doc: Doc, push: Push) {
  const t = doc.text;
  const wave = /\d\s*～\s*\d/.test(t);
  // (from the start of a number only: tried at every digit of a long run it was quadratic)
  for (const m of t.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)([-－–~〜])(\d+(?:\.\d+)?)/g)) {
    const a = m.index;
    const dash = a + m[1].length;
    const end = a + m[0].length;
    const before = t[a - 1];
    const after = t[end];
    if (isDigit(before) || isLatin(before) || before === "-" || before === "." || isLatin(after) || after === "-" || t[end] === m[2]) continue; // model numbers, ISO dates, phone numbers
    if (/^0\d{2,3}$/.test(m[1]) && m[3].length >= 7) continue; // 0769-28685020
    if (m[1].length >= 7) continue; // 22831234-801: a phone number and its extension
    if (/(?:GB|GB\/T|GB\/Z|ISO|IEC|DB\d*|JB|YY|HG|QB|SJ|YD)\s*$/i.test(t.slice(Math.max(0, a - 8), a))) continue; // GB/T 9704-2012: a standard's number and year
    if (/^(?:19|20)\d{2}$/.test(m[1]) && /^\d{1,2}$/.test(m[3]) && t[end] === m[2]) continue;
    if (/[图表例式附]$/.test(t.slice(a - 1, a))) continue; // 图1-1
    const years = /^(?:19|20)\d{2}$/.test(m[1]) && /^(?:19|20)\d{2}$/.test(m[3]);
    const fix = years || !wave ? "—" : "～";
    const chineseContext =
      isHan(before) || isCnPunct(before) || isHan(after) || isCnPunct(after) || after === "%" || after === undefined || before === undefined || /[\s\n]/.test(before);
    if (!chineseContext) continue;
    push({
      rule: "punct.range",
      severity: "should",
      message: `${years ? "时间" : "数值"}范围用一字线“—”${years ? "" : "或浪纹线“～”（全文统一）"}，不用“${m[2]}”（GB/T 15834-2011 4.13）。`,
      start: dash,
      end: dash + 1,
      suggestion: fix,
    });
  }
}

/** The character 一 used as a dash: 源头创新一技术创新一成果转化 → 源头创新—技术创新—成果转化. */
// (这一, 另一, 每一… are the numeral; so are 一边/一面…, 一名/一位, 一中心一平台)
const YI_BEFORE = new Set([..."统第唯之万同单专划合逐不初十周其归均纯整如为进星礼这另又每某任那"]);
const YI_AFTER = new Set([
  ..."批体流直定起般些系步次线带路代号期个项种份样致切方站件张户对揽条把手级半同并再贯键律举旦度套家环座片区年月日天周轮季阶类大道以心意视亿万千百十二三四五六七八九〇是览览门窗口身生览边面名位中平政问所支笔栋场台间幢番",
]);
export function punctYiDash(doc: Doc, push: Push, claimed: Set<number>) {
  const t = doc.text.replace(/\u2f00/g, "一");
  // 2020一2022年: the character 一 (or the radical ⼀) between two years is a range's 一字线
  for (const m of t.matchAll(/(?<!\d)((?:19|20)\d{2})一((?:19|20)\d{2})(?!\d)/g)) {
    const i = m.index + m[1].length;
    claimed.add(i);
    push({
      rule: "punct.range",
      severity: "must",
      message: "时间范围用一字线“—”，不用汉字“一”（GB/T 15834-2011 4.13）。",
      start: i,
      end: i + 1,
      suggestion: "—",
    });
  }
  for (const p of doc.paras) {
    const cands: number[] = [];
    for (let i = p.start + 1; i < p.end - 1; i++) {
      if (t[i] !== "一") continue;
      if (!isHan(t[i - 1]) || !isHan(t[i + 1])) continue;
      if (YI_BEFORE.has(t[i - 1]) || YI_AFTER.has(t[i + 1]) || isCnNumeral(t[i - 1])) continue;
      cands.push(i);
    }
    // chains of ≥ 2 dashes whose segments are 2–6 Han characters
    let chain: number[] = [];
    const flush = () => {
      if (chain.length >= 2) {
        // Noun phrases between the dashes (技术创新) make it certain; short ones may be a numeral's
        // slogan (一网通办一网统管, 一园区一主题一特色): shown, for a person to decide, never fixed in bulk.
        const inner = chain.slice(1).map((i, k) => t.slice(chain[k]! + 1, i));
        // The first segment needs four characters before the first 一 too: after a verb (建立一重点项目
        // 一牵头领导一工作专班) every 一 is the numeral of a slogan, and the fix would make 建立—重点项目.
        let run = 0;
        while (chain[0]! - run - 1 >= p.start && isHan(t[chain[0]! - run - 1]!)) run++;
        const severity = run >= 4 && inner.every((seg) => seg.length >= 4) ? "must" : "should";
        for (const i of chain) {
          claimed.add(i);
          push({
            rule: "punct.yi-dash",
            severity,
            message: "汉字“一”被当作连接号用了：连接并列名词应使用一字线“—”（GB/T 15834-2011 4.13）。",
            start: i,
            end: i + 1,
            suggestion: "—",
          });
        }
      }
      chain = [];
    };
    for (const i of cands) {
      const prev = chain.length ? chain[chain.length - 1] : -1;
      const segStart = prev >= 0 ? prev + 1 : i - 2;
      const seg = t.slice(segStart, i);
      const okSeg = seg.length >= 2 && seg.length <= 6 && new RegExp(`^[${HAN_CLASS}]+$`).test(seg);
      if (prev >= 0 && okSeg) chain.push(i);
      else {
        flush();
        chain = [i];
      }
    }
    flush();
  }
}

// ---------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------

/** Zero-width space, ZWNJ, word joiner, BOM, soft hyphen (ZWJ is kept: emoji sequences need it, as in sanitizeText). */
const INVISIBLE = new Set(["\u200B", "\u200C", "\u2060", "\uFEFF", "\u00AD"]);

export function charLookalike(doc: Doc, push: Push, claimed: Set<number>) {
  const t = doc.text;
  for (let i = 0; i < t.length; i++) {
    const code = t.charCodeAt(i);
    const c = t[i];
    if (claimed.has(i)) continue;
    if (code >= 0x2f00 && code <= 0x2fdf) {
      push({
        rule: "char.lookalike",
        severity: "must",
        message: `“${c}”是康熙部首（U+${code.toString(16).toUpperCase()}），外形同汉字但编码不同，检索和排版都会出错；应为常用汉字“${c.normalize("NFKC")}”。`,
        start: i,
        end: i + 1,
        suggestion: c.normalize("NFKC"),
      });
    } else if (code >= 0x2e80 && code <= 0x2eff) {
      const n = c.normalize("NFKC");
      push({
        rule: "char.lookalike",
        severity: "must",
        message: `“${c}”是部首补充字符（U+${code.toString(16).toUpperCase()}），不是常用汉字，请改为对应的汉字。`,
        start: i,
        end: i + 1,
        ...(n !== c ? { suggestion: n } : {}),
      });
    } else if ((code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a) || c === "％") {
      let j = i;
      while (j < t.length && /[０-９Ａ-Ｚａ-ｚ％．]/.test(t[j]) && !claimed.has(j)) j++;
      const s = t.slice(i, j);
      push({
        rule: "char.lookalike",
        severity: "must",
        message: `全角数字、字母和“％”应写作半角：“${s.normalize("NFKC")}”（GB/T 15835-2011）。`,
        start: i,
        end: j,
        suggestion: s.normalize("NFKC"),
      });
      i = j - 1;
    } else if (c === "．" && isDigit(t[i - 1]) && isDigit(t[i + 1])) {
      push({ rule: "char.lookalike", severity: "must", message: "小数点用半角“.”，不用全角“．”（GB/T 15835-2011）。", start: i, end: i + 1, suggestion: "." });
    } else if (INVISIBLE.has(c)) {
      let j = i;
      while (j < t.length && INVISIBLE.has(t[j])) j++;
      push({ rule: "char.lookalike", severity: "must", message: "文中有看不见的零宽字符（常见于网页、PDF 复制），会影响检索和排版，应删除。", start: i, end: j, suggestion: "" });
      i = j - 1;
    }
  }
}

/**
 * A hanzi outside GB 2312 (堃, 昇, 𬌗 — often in people's, places' and firms' names): 仿宋_GB2312 and
 * 楷体_GB2312 have no glyph for it. The Word file sets it in 仿宋 or 楷体 (their GBK faces, which
 * Windows and WPS ship: app/letters/docx.server.ts), so it prints, in a slightly different design;
 * the system's own preview cannot show that difference. A reminder, never a must-fix.
 */
export function charOutsideGb2312(doc: Doc, push: Push) {
  for (const { char, index, gbk } of hanziOutsideGb2312(doc.text)) {
    push({
      rule: "char.font",
      severity: "check",
      // outside GBK too (𠮷): the GBK faces lack it as well, so the Word file's 仿宋 does not help
      message: gbk
        ? `不在 GB 2312 字符集中：仿宋_GB2312、楷体_GB2312 没有这个字，下载的 Word 文件已为它单独改用“仿宋”（楷体处用“楷体”），字形与前后略有不同。请在办公电脑的打印稿上核对。`
        : `不在 GBK 字符集中：仿宋、楷体等公文字体都没有这个字，办公电脑上可能显示为方框或换用其他字体。请确认写法（人名、地名用字请向本人或主管部门核对），并在办公电脑的打印稿上核对。`,
      start: index,
      end: index + char.length,
    });
  }
}

/**
 * Private Use Area characters (U+E000–U+F8FF, planes 15 and 16): Word's bullets from the Symbol
 * and Wingdings fonts (U+F0B7 •, U+F0A7 §, U+F076, U+F0D8, U+F0FC ✓) pasted as text, or a PC's
 * self-made character. No 公文 typeface has them: the print shows a box. Opening a paragraph
 * (or its text after the 行内标题) it is a bullet, deleted with the tab or spaces after it; elsewhere
 * it may be a self-made character for a name, so deleting it is not the one right fix.
 */
const PRIVATE_USE = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/gu;

export function charPrivateUse(doc: Doc, push: Push) {
  const t = doc.text;
  const opens = new Set<number>();
  for (const p of doc.paras)
    for (const from of p.kind === "lead-paragraph" && p.leadLength ? [p.start, p.start + p.leadLength] : [p.start])
      opens.add(from + /^[ \t\u3000]*/.exec(t.slice(from, p.end))![0].length);
  for (const m of t.matchAll(PRIVATE_USE)) {
    const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()}`;
    const bullet = opens.has(m.index);
    const end = m.index + m[0].length + (bullet ? /^[ \t\u3000]*/.exec(t.slice(m.index + m[0].length))![0].length : 0);
    push({
      rule: "char.private-use",
      severity: "must",
      message: bullet
        ? `段首的“${code}”是私用区字符（来自 Word 项目符号等特殊字体），公文字体没有这个字符，打印出来是方框，无法打印。请删除（连同其后的空格）。`
        : `“${code}”是私用区字符（来自 Word 项目符号、特殊字体或自造字），公文字体没有这个字符，打印出来是方框，无法打印。请删除或改为规范汉字。`,
      start: m.index,
      end,
      ...(bullet ? { suggestion: "" } : {}),
    });
  }
}

/**
 * Emoji and pictographs (😀, ✅, with their variation selectors and joiners): no 公文 typeface has
 * them, the Word file and the print show them in a colour or fallback font, and a letter has no use
 * for them. ©, ® and ™ are left alone (names of products).
 */
const EMOJI = /(?![\u00A9\u00AE\u2122])\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*\uFE0F?/gu;

export function charEmoji(doc: Doc, push: Push) {
  for (const m of doc.text.matchAll(EMOJI)) {
    push({
      rule: "char.emoji",
      severity: "must",
      message: "表情符号不能用于公文：公文字体没有这个符号，Word 文件和打印稿会用彩色或其他字体显示。请删除。",
      start: m.index,
      end: m.index + m[0].length,
      suggestion: "",
    });
  }
}

/** AA that are real words (reduplications, names). */
const AA_WORDS = new Set(
  (
    "某某 强强 纷纷 常常 往往 星星 渐渐 刚刚 仅仅 稍稍 默默 人人 处处 事事 天天 年年 月月 日日 家家 户户 层层 步步 个个 条条 样样 多多 久久 匆匆 明明 轻轻 静静 慢慢 好好 大大 " +
    "小小 高高 深深 紧紧 牢牢 切切 谢谢 妈妈 爸爸 哥哥 姐姐 弟弟 妹妹 奶奶 爷爷 宝宝 猩猩 冉冉 熊熊 勃勃 彬彬 炯炯 津津 滔滔 茫茫 悠悠 洋洋 济济 累累 历历 频频 屡屡 " +
    "连连 声声 重重 丝丝 点点 片片 区区 堂堂 井井 头头 生生 世世 代代 时时 村村 镇镇 县县 欣欣 蒸蒸 息息 孜孜 兢兢 源源 滚滚 循循 栩栩 脉脉 侃侃 念念 比比 " +
    "振振 格格 恋恋 绰绰 惴惴 楚楚 落落 喋喋 芸芸 熙熙 攘攘 轰轰 烈烈 浩浩 荡荡 方方 面面 框框 亭亭 统统 通通 种种 每每 偏偏 恰恰 隐隐 微微 暗暗 白白 早早 远远 " +
    "足足 满满 稳稳 莘莘 姗姗 翩翩 皑皑 赫赫 谆谆 袅袅 岌岌 碌碌 草草 寥寥 斤斤 耿耿 泱泱 依依 殷殷 拳拳 款款 平平 淡淡 行行 哈哈 呵呵 嘻嘻 蛐蛐 蝈蝈 娓娓 姥姥 " +
    "舅舅 叔叔 伯伯 婆婆 公公 太太 乖乖 悄悄 渺渺 迢迢 潺潺 涓涓 朗朗 琅琅 蒙蒙 濛濛 茸茸 葱葱 郁郁 苍苍 熠熠 闪闪 灼灼 凛凛 堂堂 巍巍 皇皇 赳赳 昂昂 咄咄 汹汹 " +
    "沉沉 昏昏 恹恹 战战 惶惶 匆匆 急急 缓缓 徐徐 款款 稀稀 疏疏 密密 麻麻 零零 散散 星星 点点 环环 节节 级级 阶阶 关关 站站 项项 件件 桩桩 笔笔 分分 秒秒 " +
    "等等"
  ).split(/\s+/),
);
/** A + next char: the first A ends a word, the second starts one (市|市场, 局|局长). */
const AA_BOUNDARY: Record<string, string> = {
  市: "场直属民级区政委长管内域容貌县镇",
  县: "级委政长域城区",
  省: "级委政长内外直属",
  区: "委政长级",
  镇: "委政长级",
  局: "长",
  部: "长门分署",
  厅: "长",
  处: "长",
  科: "长技学",
  所: "长有",
  院: "长",
  校: "长",
  站: "长",
  队: "长员",
  组: "长织成",
  社: "长会区",
  会: "长议同员计商场展",
  业: "务态绩主内界",
  设: "施备计立置",
  理: "念论事",
  品: "牌质种",
  作: "风用为品",
  议: "题程案定事",
  展: "示会览望",
  发: "展明挥布",
  新: "型兴高能",
  制: "度定造",
  同: "比时",
  比: "例较重",
  力: "度量",
  员: "工",
  门: "户",
  家: "庭",
  人: "民才员",
  了: "之",
  心: "相",
  // words of 公文 that meet their own first character (a review: 会议议程, 财政政策, 员工工资…)
  政: "策府务治协",
  工: "资作业程人厂会具",
  目: "录标的前",
  网: "络站点格上",
  委: "员托",
  是: "否",
  产: "业品值能权",
  资: "金源产本",
  金: "额融",
  行: "业政动为长",
  量: "化",
  标: "准志杆",
  点: "位",
  // a review of 2026-12-02: each of these was deleted by one click (中国国际进口博览会, 产业链链长制,
  // 会议议定, 实现现代化, 中小学学位, 促进进出口, 重要要求, 广东东莞, 发展展望)
  国: "际民内外家务企土",
  链: "长",
  现: "代场",
  学: "位校生科习",
  进: "出口",
  要: "求素",
  东: "莞",
};
/** Common words ending in A (XA), for the boundary rule. */
const AA_PREV: Record<string, string> = {
  业: "企产行工专就事农商物创",
  设: "建",
  理: "管治经处代办",
  品: "产商作",
  作: "工合协",
  会: "社机大商协委学工年省都峰",
  议: "会建协",
  展: "发",
  发: "开研",
  新: "创更革最",
  制: "机体",
  同: "合共",
  比: "同对",
  力: "能动",
  员: "人委职会党成队学",
  门: "部",
  政: "财行市民党邮家",
  工: "员职加施开务化用手",
  目: "项题节数科",
  网: "联电上光",
  委: "党市县区省常纪",
  产: "地生财资物",
  资: "投工融物外合",
  金: "资基现奖",
  行: "银执运进推发实施",
  量: "质数产能容",
  标: "目指商达",
  点: "重亮特热",
  // the boundary entries of 2026-12-02, held to words that end in their character, so that a real
  // typo (加强现现场, 推动学学科, 扩大进进口) is still found
  国: "中全美英法德各本外我两韩泰祖强大民爱",
  链: "业应供",
  现: "实体发表再出呈展兑",
  学: "小中大教科数化文医同留办",
  进: "促推引先增改前演跟并",
  要: "重主需必纪提摘概",
  东: "广山",
};

export function charDuplicate(doc: Doc, push: Push) {
  const t = doc.text;
  // Two-character counts of the text, made once when first needed (splitting the text for every
  // doubled character was quadratic: 20 s for a 100,000-character paste).
  let counts: Map<string, number> | null = null;
  const bigrams = () => {
    if (!counts) {
      counts = new Map();
      for (let k = 0; k < t.length - 1; k++) {
        // a pair inside a doubling (动专|专精 of 推动专专精) is not evidence for itself: two copies of
        // the same typo made each other's halves "words of this document" and hid both
        if (t[k + 1] === t[k + 2] || (k > 0 && t[k - 1] === t[k])) continue;
        const w = t.slice(k, k + 2);
        counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
    return counts;
  };
  for (let i = 0; i < t.length - 1; i++) {
    const a = t[i];
    if (a !== t[i + 1] || !isHan(a) || isCnNumeral(a)) continue;
    if (t[i + 2] === a) {
      // AAA: report the extra copies once
      let j = i + 2;
      while (t[j] === a) j++;
      push({ rule: "char.duplicate", severity: "must", message: `“${a}”字重复。`, start: i + 1, end: j, suggestion: "" });
      i = j;
      continue;
    }
    const next = t[i + 2];
    const prev = t[i - 1];
    if (AA_WORDS.has(a + a)) continue;
    if (a === "的" && prev === "目") continue; // 目的的途径
    if (next && t[i + 3] === next && next !== a && isHan(next)) continue; // AABB 方方面面
    if (prev && t[i - 2] === prev && prev !== a && isHan(prev)) continue; // BBAA
    // 市|市场监管局, 局|局长: the second A starts a word; for 业, 设, 理… the first A must also end one (企业|业务)
    if (next && AA_BOUNDARY[a]?.includes(next) && (!AA_PREV[a] || (prev !== undefined && AA_PREV[a].includes(prev)))) continue;
    // both halves occur elsewhere as words of this document
    if (prev && next && isHan(prev) && isHan(next)) {
      const left = prev + a;
      const right = a + next;
      const elsewhere = (w: string) => (bigrams().get(w) ?? 0) >= 1;
      if (elsewhere(left) && elsewhere(right)) continue;
    }
    // A doubled given name (李婷婷, 王芳芳委员): at the end of a line or before 委员/同志/a punctuation
    // mark it is more likely a name than a typo — a person checks it, nothing is removed.
    const nameLike = prev !== undefined && isHan(prev) && (next === undefined || !isHan(next) || /^(委员|同志|先生|女士)/.test(t.slice(i + 2, i + 4)));
    // Between two words (共和国|国民经济, 压实责任|任务, 统筹协调|调度) a doubled character is right, and
    // the tables above cannot list every such pair without a lexicon (decision 010): inside a phrase it
    // is for the clerk to confirm, one click each, never in 修正全部必须修改项 — that deleted a character of
    // 中华人民共和国国民经济. At a clause's start no word ends before it, so the doubling is a typo.
    const inPhrase = prev !== undefined && isHan(prev);
    push({
      rule: "char.duplicate",
      severity: nameLike ? "check" : inPhrase ? "should" : "must",
      message: nameLike
        ? `“${a}${a}”可能是重字，也可能是人名（${prev ?? ""}${a}${a}），请核对。`
        : `“${a}${a}”疑为重字，多了一个“${a}”（${prev ?? ""}${a}${a}${next ?? ""}）${inPhrase ? "；若两字分属前后两个词则无误" : ""}。`,
      start: i + 1,
      end: i + 2,
      ...(nameLike ? {} : { suggestion: "" }),
    });
    i++;
  }
  // ABAB: 发展发展 (a person decides: 产业产业链 may be 产业+产业链)
  for (let i = 0; i < t.length - 3; i++) {
    const ab = t.slice(i, i + 2);
    if (ab[0] === ab[1] || !isHan(ab[0]) || !isHan(ab[1]) || isCnNumeral(ab[0]) || isCnNumeral(ab[1])) continue;
    if (t.slice(i + 2, i + 4) !== ab) continue;
    if (t.slice(i + 4, i + 6) === ab) continue;
    push({ rule: "char.duplicate", severity: "should", message: `“${ab}”连续出现两次，疑为重复。`, start: i + 2, end: i + 4, suggestion: "" });
    i += 3;
  }
}

interface WordPair {
  wrong: string;
  right: string;
  severity: Severity;
  note: string;
  source: string;
  before?: string;
  after?: string;
}
export const WORD_PAIRS: WordPair[] = (wordsJson as { pairs: WordPair[] }).pairs;
const WORD_RES = WORD_PAIRS.map((p) => ({ p, re: new RegExp(`${p.before ? `(?<=${p.before})` : ""}${escapeRe(p.wrong)}${p.after ? `(?=${p.after})` : ""}`, "g") }));

export function wordPairs(doc: Doc, push: Push) {
  const taken: [number, number][] = [];
  for (const { p, re } of WORD_RES) {
    for (const m of doc.text.matchAll(re)) {
      const s = m.index;
      const e = s + m[0].length;
      if (taken.some(([a, b]) => s < b && e > a)) continue;
      taken.push([s, e]);
      push({ rule: "wordpair", severity: p.severity, message: `“${p.wrong}”应为“${p.right}”：${p.note}（${p.source}）`, start: s, end: e, suggestion: p.right });
    }
  }
}

// ---------------------------------------------------------------------------
// Spacing
// ---------------------------------------------------------------------------

export function spacing(doc: Doc, push: Push) {
  const t = doc.text;
  // an ideographic space or a tab inside a line too (CHAR-01): it prints as a gap of a character or more
  for (const m of t.matchAll(/[ \u00A0\u3000\t]+/g)) {
    const s = m.index;
    const e = s + m[0].length;
    if (doc.docNumberSpans.some(([a, b]) => s >= a && s < b)) continue;
    const a = t[s - 1];
    const b = t[e];
    if (a === undefined || b === undefined || a === "\n" || b === "\n") continue;
    // a half-width bracket around Chinese becomes a full-width one (punct.halfwidth), so it counts as Chinese here
    const hanNear = (x: string) => new RegExp(`[${HAN_CLASS}]`).test(x);
    const cjkA = isHan(a) || isCnPunct(a) || (a === ")" && hanNear(t.slice(Math.max(0, s - 8), s - 1)));
    const cjkB = isHan(b) || isCnPunct(b) || (b === "(" && hanNear(t.slice(e + 1, e + 8)));
    const alnum = (c: string) => isDigit(c) || isLatin(c) || c === "%" || c === "℃";
    if (!((cjkA && (cjkB || alnum(b))) || (alnum(a) && cjkB))) continue;
    const what = isHan(a) && isHan(b) ? "汉字之间" : cjkA && cjkB ? "标点前后" : "中文与数字、字母之间";
    push({
      rule: "spacing",
      severity: "should",
      message: `${what}不加空格（公文排版惯例；“中文与英文、数字之间加空格”是网页排版习惯，不适用于公文）。`,
      start: s,
      end: e,
      suggestion: "",
    });
  }
}

// ---------------------------------------------------------------------------
// Numbers (GB/T 15835-2011)
// ---------------------------------------------------------------------------

export function numbers(doc: Doc, push: Push) {
  const t = doc.text;
  // 15～30% → 15%～30%; 9～16亿 → 9亿～16亿
  for (const m of t.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)([～~\-－—–至到])(\d+(?:\.\d+)?)(%|万亿|千万|百万|亿|万)/g)) {
    if (/^(?:19|20)\d{2}$/.test(m[1]) && /^(?:19|20)\d{2}$/.test(m[3])) continue;
    const unit = m[4];
    const s = m.index;
    const e = s + m[1].length;
    // 千万/百万 after a digit is itself wrong (3千万): the range is rewritten as a whole by a person
    const mixedUnit = unit === "千万" || unit === "百万";
    push({
      rule: "number.range-unit",
      severity: "must",
      message: mixedUnit
        ? `数值范围的前后两个数都要带单位，且阿拉伯数字不与“${unit[0]}”连用：如 ${m[1]}${unit === "千万" ? "000" : "00"}万${m[2]}${m[3]}${unit === "千万" ? "000" : "00"}万（GB/T 15835-2011）。`
        : `数值范围的前后两个数都要带“${unit}”：${m[1]}${unit}${m[2]}${m[3]}${unit}（GB/T 15835-2011 4.5；省略会产生歧义）。`,
      start: s,
      end: e,
      ...(mixedUnit ? {} : { suggestion: m[1] + unit }),
    });
  }
  // 3千家 → 3000家
  // (千伏, 千瓦, 百兆 are units of their own, not 1000伏)
  for (const m of t.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(千|百)(?![瓦米克帕卡焦赫分兆伏牛字比])/g)) {
    const n = Number(m[1]) * (m[2] === "千" ? 1000 : 100);
    // the end of a range (1-2千人: 1000–2000, not 1–2000): both ends are rewritten together, by a person
    const rangeEnd = /\d[～~\-－—–至到]$/.test(t.slice(Math.max(0, m.index - 2), m.index));
    const ok = !rangeEnd && Number.isFinite(n) && Math.abs(n - Math.round(n)) < 1e-9;
    push({
      rule: "number.mixed",
      severity: "must",
      message: rangeEnd
        ? `阿拉伯数字不与“${m[2]}”连用（“万”“亿”除外）：范围的两端一起改写，如 1-2千人 写作 1000-2000人（GB/T 15835-2011）。`
        : `阿拉伯数字不与“${m[2]}”连用（“万”“亿”除外）：写作“${ok ? Math.round(n) : "阿拉伯数字"}”（GB/T 15835-2011）。`,
      start: m.index,
      end: m.index + m[0].length,
      ...(ok ? { suggestion: String(Math.round(n)) } : {}),
    });
  }
  // 6大专项 vs 七大: fixed expressions take Chinese numerals
  for (const m of t.matchAll(/(?<![\d.])([2-9])大(?=[\u4e00-\u9fff])/g)) {
    const cn = "〇一二三四五六七八九"[Number(m[1])];
    const mixed = /[二三四五六七八九十]大/.test(t);
    push({
      rule: "number.numeral-style",
      severity: "should",
      message: `“${m[1]}大”是缩略的定型说法，用汉字数字“${cn}大”${mixed ? "；本文其他地方写作汉字数字（如“七大”），前后应一致" : ""}（GB/T 15835-2011 4.2）。`,
      start: m.index,
      end: m.index + 1,
      suggestion: cn,
    });
  }
  // 30亿以上 (elsewhere 亿元): the unit is missing
  for (const unit of ["亿", "万"]) {
    const withYuan = new RegExp(`\\d\\s*${unit}元`).test(t);
    const withUsd = new RegExp(`\\d\\s*${unit}美元`).test(t);
    if (!withYuan) continue;
    for (const m of t.matchAll(new RegExp(`(?<=\\d\\s?)${unit}(?=以上|以下|左右|多|余|[，。、；）])`, "g"))) {
      // "1.1万多家", "超过1万余家": a count with its own measure word after 多/余 is no amount
      if (/^(多|余)[家个户人名位台辆项件所座套只条次]/.test(t.slice(m.index + 1, m.index + 3))) continue;
      // Before a punctuation mark it may be a count ("常住人口1053万，"): said, never changed in one click.
      const beforePunctuation = /[，。、；）]/.test(t[m.index + 1] ?? "");
      // Nor one not said of money (常住人口约1000万以上): 元 is offered only after a word of money.
      const aboutMoney =
        /(投资|资金|产值|营收|收入|金额|补助|奖励|资助|补贴|经费|税收|销售额|营业额|规模|总额|预算|融资|贷款)[^，。；]{0,10}$/.test(t.slice(Math.max(0, m.index - 24), m.index)) ||
        /^(以上|以下|左右)?[^，。；]{0,4}(项目|工程)/.test(t.slice(m.index + 1, m.index + 9)); // 30亿以上产业项目: a project's size
      push({
        rule: "number.unit",
        severity: "should",
        message: `金额缺少计量单位：本文其他地方写作“${unit}元”，此处“${unit}”后也应写明单位（《党政机关公文处理工作条例》审核重点：计量单位规范）。`,
        start: m.index,
        end: m.index + 1,
        ...(withUsd || beforePunctuation || !aboutMoney ? {} : { suggestion: `${unit}元` }),
      });
    }
  }
  // 约…左右, 超过…以上, 至今…以来
  for (const [re, msg] of [
    [/约[^，。；\n]{1,10}左右/g, "“约”与“左右”语义重复，二者留一。"],
    [/(?:超过|超出)[^，。；\n]{1,12}以上/g, "“超过”与“以上”语义重复，二者留一。"],
    [/至今[^，。；\n]{1,20}以来/g, "“至今”与“以来”语义重复，二者留一。"],
  ] as const) {
    for (const m of t.matchAll(re)) push({ rule: "style.redundant", severity: "should", message: msg, start: m.index, end: m.index + m[0].length });
  }
}
