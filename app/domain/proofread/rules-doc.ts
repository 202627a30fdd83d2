/**
 * Document-level rules: dates (GB/T 9704 §7.3.5.4, GB/T 15835), the 文号 (GB/T 9704 §7.2.5),
 * structure (headings, numbering, placeholders, signature block) and style (我局, abbreviations,
 * a character dropped from a name spelled fully elsewhere).
 */
import type { Doc, RawFinding } from "./types";
import { daysInMonth } from "../calendar";
import { leadNumbers, typedLeadOf } from "../typed-lead";
import { CN_DIGIT, HAN_CLASS, cnNumber, countOccurrences, dayExists, escapeRe, isHan, parseArabicDate, parseChineseDate, toCnNumber } from "./util";

type Push = (f: RawFinding) => void;

// ---------------------------------------------------------------------------
// 文号
// ---------------------------------------------------------------------------

// (第 and the spaces after it are one optional group: two \s* side by side backtracked quadratically
// over a run of spaces — 4 s for 40,000 after a 〔2021〕)
const DOCNO = /(?<=[\u4e00-\u9fff])\s*([〔[［【(（])\s*((?:19|20)\d{2})\s*([〕\]］】)）])\s*(第\s*)?(\d+)\s*号/g;

export function findDocNumbers(text: string): { start: number; end: number; year: number; bad: string[]; fixed: string }[] {
  const out: { start: number; end: number; year: number; bad: string[]; fixed: string }[] = [];
  for (const m of text.matchAll(DOCNO)) {
    const [all, open, year, close, di, seq] = m;
    const bad: string[] = [];
    if (open !== "〔" || close !== "〕") bad.push(`年份用六角括号“〔〕”，不用“${open}${close}”`);
    if (di) bad.push("序号前不加“第”");
    if (/^0\d/.test(seq)) bad.push("序号不编虚位（不加前导0）");
    if (/\s/.test(all)) bad.push("文号中不加空格");
    out.push({ start: m.index, end: m.index + all.length, year: Number(year), bad, fixed: `〔${year}〕${Number(seq)}号` });
  }
  return out;
}

export function docNumberRules(doc: Doc, push: Push) {
  const nums = findDocNumbers(doc.text);
  doc.docNumberSpans = nums.map((n) => [n.start, n.end]);
  for (const n of nums) {
    if (!n.bad.length) continue;
    push({
      rule: "docnumber.format",
      severity: "must",
      message: `发文字号格式应为“代字〔年份〕序号号”：${n.bad.join("；")}（GB/T 9704-2012 7.2.5）。`,
      start: n.start,
      end: n.end,
      suggestion: n.fixed,
    });
  }
  // the letter's own 文号 (the documentNumber part, or the first 文号 before the title in free text) carries the letter's year
  if (!doc.letterDate) return;
  const year = Number(doc.letterDate.slice(0, 4));
  const own =
    doc.mode === "letter"
      ? nums.filter((n) => doc.paras.some((p) => p.kind === "documentNumber" && n.start >= p.start && n.end <= p.end))
      : nums.filter((n) => n.start < ownHeaderEnd(doc) && aloneOnLine(doc, n)).slice(0, 1);
  for (const n of own) {
    if (n.year === year) continue;
    const y0 = doc.text.indexOf(String(n.year), n.start);
    push({
      rule: "date.docnumber-year",
      severity: "must",
      message: `发文字号的年份（${n.year}）与成文日期的年份（${year}）不一致。`,
      start: y0,
      end: y0 + 4,
      suggestion: String(year),
    });
  }
}

/**
 * A letter's own 文号 stands on a line of its own (东工信函〔2021〕108号); one cited in a sentence
 * near the top (根据《…》（粤府函〔2020〕82号）) is another document's, with its own year.
 */
function aloneOnLine(doc: Doc, n: { start: number; end: number }): boolean {
  const p = doc.paras.find((q) => n.start >= q.start && n.end <= q.end);
  if (!p) return false;
  // (a 上行文 puts 签发人 on the 文号's line, to the right: GB/T 9704-2012 7.2.4)
  return /^\s*[\u4e00-\u9fff]{2,10}\s*$/.test(doc.text.slice(p.start, n.start)) && /^\s*(?:签发人[：:]\s*[\u4e00-\u9fff·]{2,8}\s*)?$/.test(doc.text.slice(n.end, p.end));
}

/** End of the header in free text: the paragraph with the title (关于…), or the first 4 paragraphs. */
function ownHeaderEnd(doc: Doc): number {
  const ps = doc.paras.slice(0, 6);
  const title = ps.find((p) => /^关于/.test(doc.text.slice(p.start, p.end)));
  return title ? title.start : (ps[Math.min(3, ps.length - 1)]?.end ?? 0);
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/** The 成文日期 written in the text (a paragraph that is only a date, last one wins). */
export function findLetterDate(doc: Doc): { iso: string; start: number; end: number; style: "chinese" | "arabic" } | null {
  let found: { iso: string; start: number; end: number; style: "chinese" | "arabic" } | null = null;
  for (const p of doc.paras) {
    const s = doc.text.slice(p.start, p.end).trim();
    const cn = parseChineseDate(s);
    const ar = cn ? null : parseArabicDate(s);
    if (cn || ar) found = { iso: (cn ?? ar)!, start: p.start, end: p.end, style: cn ? "chinese" : "arabic" };
  }
  return found;
}

export function dateRules(doc: Doc, push: Push) {
  const t = doc.text;
  // a day that does not exist (2021年2月30日, 二〇二一年四月三十一日, 13月): a slip only the writer can mend
  for (const m of t.matchAll(
    /(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日|([〇○OＯ0零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日/g,
  )) {
    const [y, mo, d] = m[1] ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number([...m[4]!].map((c) => CN_DIGIT[c] ?? "0").join("")), cnNumber(m[5]!) ?? 0, cnNumber(m[6]!) ?? 0];
    if (dayExists(y, mo, d)) continue;
    push({
      rule: "date.invalid",
      severity: "must",
      message: `“${m[0]}”不是存在的日期（${mo < 1 || mo > 12 ? "月份应为1至12" : d < 1 ? "日应从1起" : `${y}年${mo}月只有${daysInMonth(y, mo)}天`}），请核对。`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  // the same without a year (2月30日, 四月三十一日): a day no year has (2月29日 is one a leap year has)
  for (const m of t.matchAll(/(?<![\d年〇○OＯ0零一二三四五六七八九十])(?:(\d{1,2})月(\d{1,2})日|([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日)/g)) {
    const [mo, d] = m[1] ? [Number(m[1]), Number(m[2])] : [cnNumber(m[3]!) ?? 0, cnNumber(m[4]!) ?? 0];
    if (dayExists(2000, mo, d)) continue;
    push({
      rule: "date.invalid",
      severity: "must",
      message: `“${m[0]}”不是存在的日期（${mo < 1 || mo > 12 ? "月份应为1至12" : d < 1 ? "日应从1起" : `${mo}月最多${daysInMonth(2000, mo)}天`}），请核对。`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  // ○ / O / 0 / 零 as the zero of a Chinese-numeral year
  for (const m of t.matchAll(/[〇○OＯ0零一二三四五六七八九]{4}(?=年)/g)) {
    if (!/[一二三四五六七八九]/.test(m[0])) continue;
    [...m[0]].forEach((c, k) => {
      if (c === "〇" || /[一二三四五六七八九]/.test(c)) return;
      push({
        rule: "date.zero-circle",
        severity: "must",
        message: `汉字数字年份中的“零”写作“〇”（U+3007），不用“${c}”${c === "○" ? "（U+25CB 白圈）" : ""}（GB/T 15835-2011 5.2.5；GB/T 9704-2012 7.3.5.4）。`,
        start: m.index + k,
        end: m.index + k + 1,
        suggestion: "〇",
      });
    });
  }
  // 2021.5.19 / 2021/5/19 / 2021-5-19 in prose
  for (const m of t.matchAll(/(?<![\d.])((?:19|20)\d{2})([./、-])(\d{1,2})\2(\d{1,2})(?![\d.])/g)) {
    const [all, y, sep, mo, d] = m;
    if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) continue;
    if (sep === "-" && mo.length === 2 && d.length === 2) continue; // ISO form, tables and citations
    push({
      rule: "date.format",
      severity: "must",
      message: `正文日期写作“${y}年${Number(mo)}月${Number(d)}日”，不用“${all}”（GB/T 15835-2011；GB/T 9704-2012 7.3.5.4）。`,
      start: m.index,
      end: m.index + all.length,
      suggestion: `${y}年${Number(mo)}月${Number(d)}日`,
    });
  }
  // 2021年05月09日: no zero padding
  for (const m of t.matchAll(/(?<=\d{4}年)(0\d)(?=月)|(?<=\d{1,2}月)(0\d)(?=日)/g)) {
    push({
      rule: "date.format",
      severity: "must",
      message: "日期的月、日不编虚位（不加前导0）（GB/T 9704-2012 7.3.5.4）。",
      start: m.index,
      end: m.index + 2,
      suggestion: String(Number(m[0])),
    });
  }
  // 21年5月: the year is never shortened
  for (const m of t.matchAll(/(?<![\d.〔[（(—～-])(\d{2})(?=年\d{1,2}月)/g)) {
    push({ rule: "date.format", severity: "must", message: `年份不能简写，应写全“20${m[1]}年”（GB/T 15835-2011）。`, start: m.index, end: m.index + 2, suggestion: `20${m[1]}` });
  }
  // 成文日期 style against the template
  const ld = findLetterDate(doc);
  if (ld && doc.dateStyle && ld.style !== doc.dateStyle) {
    const [y, mo, d] = ld.iso.split("-").map(Number);
    const want =
      doc.dateStyle === "arabic" ? `${y}年${mo}月${d}日` : `${[...String(y)].map((c) => "〇一二三四五六七八九"[Number(c)]).join("")}年${toCnNumber(mo)}月${toCnNumber(d)}日`;
    push({
      rule: "date.style",
      severity: "should",
      message: `成文日期应按模板写作${doc.dateStyle === "arabic" ? "阿拉伯数字（GB/T 9704-2012 7.3.5.4）" : "汉字数字"}：“${want}”。`,
      start: ld.start,
      end: ld.end,
      suggestion: want,
    });
  }
  // relative time words
  const iso = doc.letterDate;
  const Y = iso ? Number(iso.slice(0, 4)) : null;
  const M = iso ? Number(iso.slice(5, 7)) : null;
  // (not inside another word: 目前年产值, 过去年均, 如今年轻人)
  for (const m of t.matchAll(/(?<![\d年目当提此过如])(今年|去年|明年|前年|本年度|本年|上年度|本月|上月|下月|上个月|下个月)(?!度|同期)/g)) {
    // nor 至今年均 (至今 + 年均), 注明年份 / 写明年月日 (注明 + 年份): only those words, so 截至今年6月底
    // and 编写明年工作计划 are still relative dates
    const before = t[m.index - 1] ?? "";
    const after = t.slice(m.index + m[1].length, m.index + m[1].length + 2);
    if (m[1] === "今年" && /[至迄]/.test(before) && after.startsWith("均")) continue;
    if (m[1] === "明年" && /[注写说表证标]/.test(before) && (after.startsWith("份") || after === "月日")) continue;
    const w = m[1];
    if ((w === "本年" || w === "上年度") && !/^[\d一二三四五六七八九十]+月/.test(t.slice(m.index + w.length))) continue;
    let fix: string | undefined;
    if (Y !== null && M !== null) {
      const yearOff: Record<string, number> = { 今年: 0, 本年: 0, 本年度: 0, 去年: -1, 上年度: -1, 明年: 1, 前年: -2 };
      if (w in yearOff) fix = `${Y + yearOff[w]}年${w.endsWith("度") ? "度" : ""}`;
      else {
        const off = /本/.test(w) ? 0 : /上/.test(w) ? -1 : 1;
        const total = Y * 12 + (M - 1) + off;
        fix = `${Math.floor(total / 12)}年${(total % 12) + 1}月`;
      }
    }
    const nextIsDate = /^[\d一二三四五六七八九十]+[月日]|^(?:上半年|下半年|底|初|末)/.test(t.slice(m.index + w.length));
    push({
      rule: "date.relative",
      severity: "should",
      message: `“${w}”是相对时间，公文应写明具体的年、月、日${fix ? `：按成文日期应为“${fix}”` : "（请按成文日期改为具体日期）"}${nextIsDate ? "" : ""}（《国家行政机关公文处理办法》第二十五条；“不要用‘明年’‘上月’等语”）。`,
      start: m.index,
      end: m.index + w.length,
      ...(fix ? { suggestion: fix } : {}),
    });
  }
  for (const m of t.matchAll(/近[两三几二四五]年|(?<![\d〇一二三四五六七八九十]年|[\d年])(?:年底|年初|年末)|(?<![\d年])全年(?!目标)|截至目前|目前为止/g)) {
    push({
      rule: "date.relative",
      severity: "check",
      message: `“${m[0]}”所指的时间不明确，请核对是否需要写明具体年份（按成文日期推算）。`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
}

// ---------------------------------------------------------------------------
// Structure
// ---------------------------------------------------------------------------

interface Marker {
  level: 1 | 2 | 3 | 4;
  n: number;
  start: number;
  end: number;
  sep: string;
}

function markerAt(text: string, start: number): Marker | null {
  const s = text.slice(start, start + 12);
  let m: RegExpExecArray | null;
  if ((m = /^([一二三四五六七八九十]{1,3})([、．.，,])/.exec(s))) {
    const n = cnNumber(m[1]);
    // 一、二季度 / 一、二期 / 二、三产业: two numbers in a row naming quarters, phases… — no heading
    const run =
      m[2] === "、" ? /^([一二三四五六七八九十]{1,2})(?:、|季度|期|类|级|产|等奖|批|档|轮|线|个月|年级|次)/.exec(text.slice(start + m[0].length, start + m[0].length + 6)) : null;
    if (n && run && cnNumber(run[1]) === n + 1) return null;
    return n ? { level: 1, n, start, end: start + m[0].length, sep: m[2] } : null;
  }
  if ((m = /^[（(]([一二三四五六七八九十]{1,3})[）)]([、．.，,]?)/.exec(s))) {
    const n = cnNumber(m[1]);
    return n ? { level: 2, n, start, end: start + m[0].length, sep: m[2] } : null;
  }
  if ((m = /^(\d{1,2})([.．、·，,])(?!\d)/.exec(s))) return { level: 3, n: Number(m[1]), start, end: start + m[0].length, sep: m[2] };
  if ((m = /^[（(](\d{1,2})[）)]([、．.，,]?)/.exec(s))) return { level: 4, n: Number(m[1]), start, end: start + m[0].length, sep: m[2] };
  return null;
}

const HEADING_MARKER = /^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])/;

/**
 * A heading printed twice: the paragraph's 行内标题 "三、系统规划引领。" and its text pasted whole
 * from Word, "三、系统规划引领。会同…" (or, in free text, the heading typed twice over). The repeat
 * (with or without its number, always with its end mark) is where the text starts; deleting it
 * is the one right fix. Without the end mark "加强组织领导是…" may be a
 * sentence, so it is not read as a repeat.
 */
function repeatedHeading(t: string, p: { kind: string; start: number; end: number; leadLength?: number }): { start: number; repeat: string } | null {
  let heading: string;
  let from: number;
  if (p.kind === "lead-paragraph" && p.leadLength) {
    heading = t.slice(p.start, p.start + p.leadLength).trim();
    from = p.start + p.leadLength;
  } else if (p.kind === "text") {
    const body = t.slice(p.start, p.end);
    const ws = /^[ \t\u3000]*/.exec(body)![0].length;
    const m = HEADING_MARKER.exec(body.slice(ws));
    const h = m ? /^[^。！？：\n]{2,30}[。：]/.exec(body.slice(ws + m[0].length)) : null;
    if (!m || !h) return null;
    heading = m[0] + h[0];
    from = p.start + ws + heading.length;
  } else return null;
  const marker = HEADING_MARKER.exec(heading)?.[0] ?? "";
  const core = heading.slice(marker.length).replace(/[。：:.．]$/, "");
  if (core.length < 2) return null;
  const rest = t.slice(from, Math.min(p.end, from + heading.length + 40));
  const ws = /^[ \t\u3000]*/.exec(rest)![0];
  for (const head of marker ? [marker + core, core] : [core]) {
    if (!rest.startsWith(head, ws.length)) continue;
    const after = rest.slice(ws.length + head.length);
    // (spaces around it are left to the spacing rule, whose fix holds them)
    const mark = /^[。：:.．]/.exec(after);
    if (!mark || !after.slice(1).trim()) continue;
    return { start: from + ws.length, repeat: head + mark[0] };
  }
  return null;
}

const LEVEL_NAMES = ["", "一、", "（一）", "1.", "（1）"];

/** The n-th marker of a level: 一、 （一） 1. （1）. */
function levelMarker(level: number, n: number): string {
  return level === 1 ? `${toCnNumber(n)}、` : level === 2 ? `（${toCnNumber(n)}）` : level === 3 ? `${n}.` : `（${n}）`;
}

export function structureRules(doc: Doc, push: Push) {
  const t = doc.text;
  const counters = [0, 0, 0, 0, 0];
  const standalone: { level: number; start: number; end: number }[] = [];
  let shi = 0; // 一是/二是 run
  // the numbers of the headings sections carry as their 行内标题 (bold, run into the paragraph), by level
  const leadsByLevel = leadNumbers(
    doc.paras.flatMap((p) => (p.kind === "lead-paragraph" && p.level && p.leadLength ? [{ level: p.level, text: t.slice(p.start, p.start + p.leadLength) }] : [])),
  );
  for (const p of doc.paras) {
    if (p.kind !== "text" && p.kind !== "heading" && p.kind !== "lead-paragraph") continue;
    // the same level typed into a paragraph's text: printed plain among bold ones (letter 108: 一、 and
    // 二、 plain, 三、 to 八、 bold)
    const typed = p.kind === "text" ? typedLeadOf(t.slice(p.start, p.end), leadsByLevel) : null;
    const lead = typed ? p.start + (t.slice(p.start, p.end).length - t.slice(p.start, p.end).trimStart().length) : 0;
    const typedHead = typed ? { start: lead, end: lead + typed.heading.length } : null;
    if (typedHead)
      push({
        rule: "structure.lead-style",
        severity: "should",
        message: `本段开头的标题写在正文里，而其他部分的同级标题是“行内标题”（加粗）：格式不一致。请把“${t.slice(typedHead.start, typedHead.end)}”移到本段的“行内标题”栏（同级标题格式应一致，GB/T 9704-2012 7.3.3）。`,
        start: typedHead.start,
        end: typedHead.end,
      });
    const twice = repeatedHeading(t, p);
    if (twice)
      push({
        rule: "structure.duplicate-heading",
        severity: "must",
        message: `${p.kind === "lead-paragraph" ? "行内标题" : "标题"}重复：正文开头又写了一遍“${twice.repeat.trim()}”，印出来是两遍，应删去正文里的这一遍。`,
        start: twice.start,
        end: twice.start + twice.repeat.length,
        suggestion: "",
      });
    // the 附件 list (附件：1.… 2.…) is numbered on its own, after the body (GB/T 9704-2012 7.3.4)
    // (only the list's own levels: a 二、 after it goes on from the body's 一、; 附件2所列… in a sentence is no list)
    const attachments = /^\s*附件[：:]\s*(?:(\d{1,2})[.．、])?/.exec(t.slice(p.start, p.end));
    if (attachments) {
      counters[3] = attachments[1] ? Number(attachments[1]) : 0; // 附件：1.清单 is the list's first item
      counters[4] = 0;
    }
    const found = markerAt(t, p.start);
    // a marker of another level than the heading it opens (a library paragraph's "1." inserted as a
    // 二级 行内标题): replaced whole by this level's next marker, （一）, （二）…; its own numbering
    // and separator are beside the point
    if (found && doc.mode === "letter" && p.level && found.level !== p.level) {
      const n = (counters[p.level] ?? 0) + 1;
      counters[p.level] = n;
      for (let k = p.level + 1; k <= 4; k++) counters[k] = 0;
      const spaces = /^[ \u3000]*/.exec(t.slice(found.end))![0].length;
      push({
        rule: "structure.numbering",
        severity: "must",
        // (or the level is what is wrong: a new paragraph starts at 一级, and "（一）" typed there meant 二级)
        message: `这是第${p.level}级标题，序数应写作“${LEVEL_NAMES[p.level]}”的形式${
          found.level >= 1 && found.level <= 2 ? `；如本段应是${found.level === 1 ? "一" : "二"}级标题，请把本段的级别改为${found.level === 1 ? "一" : "二"}级，不要点改正` : ""
        }。`,
        start: found.start,
        end: found.end + spaces,
        suggestion: levelMarker(p.level, n),
      });
    }
    const mk = found && !(doc.mode === "letter" && p.level && found.level !== p.level) ? found : null;
    if (mk) {
      const prev = counters[mk.level];
      if (mk.n !== 1 && mk.n !== prev + 1) {
        const firstOfLevel = prev === 0;
        push({
          rule: "structure.numbering",
          // a first item that is not 1 is as often a wrong level marker (（7） for （七）) as a gap: a person decides
          severity: firstOfLevel ? "should" : "must",
          message: `${LEVEL_NAMES[mk.level]}层级的序号${mk.n === prev ? "重复" : "不连续"}：${firstOfLevel ? `此前没有同级的第1项，疑为层级用错（如“（7）”应为“（七）”）` : `上一个是${prev}，此处应为${prev + 1}`}（结构层次序数依次为“一、”“（一）”“1.”“（1）”，GB/T 9704-2012 7.3.3）。`,
          start: mk.start,
          end: mk.end,
        });
      }
      // numbering starts again at 1 only under a new item of the level above (STR-04): 1.–5. then 1.–4.
      // with no heading between reads as one list numbered twice — or a second list missing its heading
      if (mk.n === 1 && prev > 0)
        push({
          rule: "structure.numbering",
          severity: "should",
          message: `“${LEVEL_NAMES[mk.level]}”层级的序号重新从1开始，但前面没有新的上级标题（上一组编到${prev}）：同一组请接续编为${prev + 1}；另起一组请加上级标题（GB/T 9704-2012 7.3.3）。`,
          start: mk.start,
          end: mk.end,
        });
      counters[mk.level] = mk.n;
      for (let k = mk.level + 1; k <= 4; k++) counters[k] = 0;
      if (mk.level <= 2) shi = 0;
      // separators: 一、 / （一） / 1. / （1）
      const sepStart = mk.end - mk.sep.length;
      if (mk.level === 1 && mk.sep !== "、")
        push({
          rule: "structure.numbering",
          severity: "should",
          message: "第一层序数“一”后用顿号：“一、”（GB/T 9704-2012 7.3.3）。",
          start: sepStart,
          end: mk.end,
          suggestion: "、",
        });
      if ((mk.level === 2 || mk.level === 4) && mk.sep)
        push({
          rule: "structure.numbering",
          severity: "must",
          message: "括号序数“（一）”“（1）”后不再加标点（GB/T 15834-2011 序次语）。",
          start: sepStart,
          end: mk.end,
          suggestion: "",
        });
      if (mk.level === 3 && mk.sep !== ".")
        push({
          rule: "structure.numbering",
          severity: "should",
          message: "第三层序数用阿拉伯数字加下脚点：“1.”（GB/T 9704-2012 7.3.3）。",
          start: sepStart,
          end: mk.end,
          suggestion: ".",
        });
      // stand-alone headings (the end punctuation must agree)
      const body = t.slice(p.start, p.end);
      const isStandalone = p.kind === "heading" || (p.kind === "text" && mk.level <= 2 && body.length <= 40 && !/[。！？；]./.test(body));
      if (isStandalone && mk.level <= 2) standalone.push({ level: mk.level, start: p.start, end: p.end });
      if (p.kind === "lead-paragraph" && p.leadLength && !/[。：]$/.test(t.slice(p.start, p.start + p.leadLength))) {
        push({
          rule: "structure.heading-punct",
          severity: "should",
          message: "与正文同段的小标题末尾用句号“。”。",
          start: p.start + p.leadLength - 1,
          end: p.start + p.leadLength,
        });
      }
    }
    // 一是 / 二是 inside paragraphs (a tab or space before one, as Word pastes give, is still its start;
    // the numeral is looked for first, so a long run of spaces is not read back at each of its spaces)
    for (const m of t.slice(p.start, p.end).matchAll(/(?=[一二三四五六七八九十])(?<=(?:^|[。；：！？])[ \t\u3000]*)([一二三四五六七八九十]{1,3})是/g)) {
      const n = cnNumber(m[1]);
      if (!n) continue;
      const at = p.start + m.index;
      if (n === 1) shi = 1;
      else if (shi > 0) {
        if (n !== shi + 1)
          push({
            rule: "structure.numbering",
            severity: "must",
            message: `“${m[1]}是”的序号${n === shi ? "重复" : "不连续"}：上一个是“${toCnNumber(shi)}是”，此处应为“${toCnNumber(shi + 1)}是”。`,
            start: at,
            end: at + m[0].length,
          });
        shi = n;
      }
    }
  }
  for (const level of [1, 2]) {
    const hs = standalone.filter((h) => h.level === level);
    const withStop = hs.filter((h) => /[。；，]$/.test(t.slice(h.start, h.end)));
    const consistent = doc.mode === "letter" || hs.length > withStop.length;
    if (!consistent) continue;
    for (const h of withStop) {
      push({
        rule: "structure.heading-punct",
        severity: "should",
        message: "单独成行的标题末尾不加句号（同级其他标题均未加，前后应一致）。",
        start: h.end - 1,
        end: h.end,
        suggestion: "",
      });
    }
  }

  // 关于对 (介词连用) and a final 。 in the title
  // (not 关于对外贸易, 关于对口帮扶…: there 对 starts the next word)
  for (const m of t.matchAll(/关于对(?![外口台接标象话策应照比等])/g)) {
    push({ rule: "structure.title", severity: "should", message: "“关于对”介词连用，删去“对”：“关于…的答复”。", start: m.index, end: m.index + 3, suggestion: "关于" });
  }
  for (const p of doc.paras) {
    if (p.kind !== "title") continue;
    if (/[。，；]$/.test(t.slice(p.start, p.end))) push({ rule: "structure.title", severity: "must", message: "标题末尾不加标点。", start: p.end - 1, end: p.end, suggestion: "" });
  }

  // placeholders
  for (const m of t.matchAll(/(?<![A-Za-z])(?:XX+|xx+|ＸＸ+|××+|○○+|某某+|\{\{[^{}\n]*\}\}|【待[定填补]】|\[(?:填写|待定)[^\]\n]*\]|TODO|？？+|\?\?+)(?![A-Za-z])/g)) {
    push({ rule: "structure.placeholder", severity: "must", message: `“${m[0]}”是未填写的占位符，发文前必须替换为实际内容。`, start: m.index, end: m.index + m[0].length });
  }

  if (doc.mode === "text") {
    // 主送 line: ends with a full-width colon
    doc.paras.forEach((p, k) => {
      const next = doc.paras[k + 1];
      if (!next || k > 8) return;
      const line = t.slice(p.start, p.end);
      const nextLine = t.slice(next.start, next.end);
      if (!/^(?:您|你们|你单位|贵单位|现将|现就|现答复)/.test(nextLine)) return;
      if (line.length > 40 || /[。！？；]/.test(line) || /^关于/.test(line) || /号$/.test(line)) return;
      // a numbered heading (一、关于…, （一）…) is not the addressee line
      if (/^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])/.test(line)) return;
      if (line.endsWith("：")) return;
      if (line.endsWith(":")) return; // punct.halfwidth reports it
      // a line ending in another mark (张明委员， or a ratio colon ∶): that mark is replaced, not kept before the colon
      const wrongMark = /[，,∶﹕；]$/.test(line);
      push({
        rule: "structure.addressee",
        severity: "must",
        message: "主送机关（称谓）后用全角冒号“：”（GB/T 9704-2012 7.3.2）。",
        start: p.end - 1,
        end: p.end,
        suggestion: wrongMark ? "：" : `${line[line.length - 1]}：`,
      });
    });
    // the signature block of the 提案答复 template
    for (const m of t.matchAll(/领导签字[：:]\s*(?=\n|$)/g)) {
      push({ rule: "structure.signature", severity: "check", message: "“领导签字”为空：送签前须由领导签字（或打印签发人姓名）。", start: m.index, end: m.index + m[0].length });
    }
    if (/领导签字/.test(t) && /承办人/.test(t) && !/公开方式/.test(t)) {
      const at = t.search(/承办人/);
      push({ rule: "structure.required", severity: "should", message: "缺少“公开方式”一行（主动公开/依申请公开/不予公开）。", start: at, end: at + 3 });
    }
    for (const m of t.matchAll(/[（(]承办单位印章[）)]/g)) {
      push({ rule: "structure.seal", severity: "check", message: "模板中的印章位置标记：请确认已加盖印章，打印稿中不保留这几个字。", start: m.index, end: m.index + m[0].length });
    }
  }
}

// ---------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------

const ABBREVIATIONS: [string, string][] = [
  ["工信部", "工业和信息化部"],
  ["中科院", "中国科学院"],
  ["发改委", "发展改革委"],
  ["国资委", "国有资产监督管理委员会"],
  ["人社部", "人力资源社会保障部"],
  ["科技部", "科学技术部"],
];

/** Short names of a bureau: 东莞市工业和信息化局 → 工业和信息化局, 市工业和信息化局, 工信局, 市工信局. */
export function selfNames(authority: string): string[] {
  const full = authority.trim();
  const m = /^(.*?[市县区省])(.+)$/.exec(full);
  const base = m ? m[2] : full;
  const level = m ? m[1].slice(-1) : "";
  const names = new Set([full, base, level + base]);
  const and = /^(.)[^和]*和(.)[^和]*(局|委|厅|办)$/.exec(base);
  if (and) {
    const short = and[1] + and[2] + and[3];
    names.add(short);
    names.add(level + short);
  }
  const known: Record<string, string> = { 科学技术局: "科技局", 市场监督管理局: "市场监管局", 人力资源和社会保障局: "人社局", 发展和改革局: "发改局" };
  if (known[base]) {
    names.add(known[base]);
    names.add(level + known[base]);
  }
  return [...names].filter((n) => n.length >= 3).sort((a, b) => b.length - a.length);
}

export function styleRules(doc: Doc, push: Push) {
  const t = doc.text;
  // abbreviations at first use
  for (const [abbr, full] of ABBREVIATIONS) {
    // 工信部门, 科技部门, 发改委员会: a word of its own, not the ministry's short name
    const uses = [...t.matchAll(new RegExp(`${escapeRe(abbr)}(?![门员会长])`, "g"))].map((m) => m.index);
    const first = uses[0] ?? -1;
    if (first < 0) continue;
    const fullAt = t.indexOf(full);
    if (fullAt >= 0 && fullAt < first) continue;
    if (new RegExp(`简称[“"]?${escapeRe(abbr)}`).test(t)) continue;
    const many = uses.length > 1;
    push({
      rule: "style.abbreviation",
      severity: "should",
      message: `简称“${abbr}”首次出现时应使用全称“${full}”${many ? `，并注明“（以下简称${abbr}）”` : ""}（《国家行政机关公文处理办法》第二十五条）。`,
      start: first,
      end: first + abbr.length,
      suggestion: many ? `${full}（以下简称${abbr}）` : full,
    });
  }
  // the bureau calls itself 我局 in its own letter
  if (doc.authority) {
    const names = selfNames(doc.authority);
    const re = new RegExp(names.map(escapeRe).join("|"), "g");
    const skipParas = new Set(doc.paras.filter((p) => p.kind !== "text" && p.kind !== "heading" && p.kind !== "lead-paragraph" && p.kind !== "opening").map((p) => p.start));
    const taken: number[] = [];
    for (const m of t.matchAll(re)) {
      const para = doc.paras.find((p) => m.index >= p.start && m.index < p.end);
      if (!para || skipParas.has(para.start)) continue;
      const line = t.slice(para.start, para.end);
      if (line.trim() === m[0] || para.start === doc.paras[0]?.start) continue; // the 发文机关 line
      const before = t.slice(para.start, m.index);
      if (before.split("《").length - before.split("》").length > 0) continue; // inside a title
      if (isHan(t[m.index - 1]) && !/[由和与及对向经在将把被请从为]/.test(t[m.index - 1])) continue; // part of a longer name
      if (taken.includes(m.index)) continue;
      taken.push(m.index);
      push({
        rule: "style.self-reference",
        severity: "should",
        message: `答复函以本机关名义行文，自称“我局”，不称“${m[0]}”。`,
        start: m.index,
        end: m.index + m[0].length,
        suggestion: "我局",
      });
    }
  }
}

/** A name written with one character missing where the document spells it fully elsewhere: 培育和展 vs 培育和发展. */
export function droppedChar(doc: Doc, push: Push) {
  const t = doc.text;
  const names: { s: number; e: number }[] = [];
  for (const m of t.matchAll(/《([^《》\n]{6,60})》|“([^“”\n]{6,40})”/g)) names.push({ s: m.index + 1, e: m.index + m[0].length - 1 });
  const seen = new Set<string>();
  for (const { s, e } of names) {
    const T = t.slice(s, e);
    for (let i = 2; i <= T.length - 2; i++) {
      const left = T.slice(Math.max(0, i - 4), i);
      const right = T.slice(i, i + 4);
      if (left.length < 3 || right.length < 3 || !new RegExp(`^[${HAN_CLASS}]+$`).test(left + right)) continue;
      const short = left + right;
      const re = new RegExp(`${escapeRe(left)}([${HAN_CLASS}])${escapeRe(right)}`, "g");
      const longs = [...t.matchAll(re)].map((m) => m[1]);
      if (!longs.length || new Set(longs).size > 1) continue;
      if (countOccurrences(t, short) > longs.length) continue;
      const x = longs[0];
      if ("的之和与及了在等市省县区镇年".includes(x)) continue; // variant wording, not a dropped character
      const exStart = s + Math.max(0, i - 3);
      const key = `${exStart}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push({
        rule: "char.dropped",
        severity: "should",
        message: `疑似漏字：本文其他地方写作“${left}${x}${right}”，此处少了“${x}”。`,
        start: exStart,
        end: s + i + 1,
        suggestion: T.slice(Math.max(0, i - 3), i) + x + T[i],
      });
    }
  }
}

/**
 * A firm's or body's short name written with two characters swapped where its registered name
 * (…有限公司) in the document spells them the other way: 记忆储存公司 vs 东莞记忆存储科技有限公司
 * (CHAR-03). Only inside such names: elsewhere 储存 and 存储 are both words.
 */
export function swappedChars(doc: Doc, push: Push) {
  const t = doc.text;
  const han = new RegExp(`^[${HAN_CLASS}]{4}$`);
  const seen = new Set<number>();
  const names = [...t.matchAll(new RegExp(`[${HAN_CLASS}]{4,16}?(?:有限公司|公司|集团|研究院|协会)`, "g"))];
  // the registered name (…有限公司) is the spelling to follow; a short name is checked against it
  const registered = names.filter((m) => m[0].endsWith("有限公司")).map((m) => m[0]);
  for (const m of names) {
    if (m[0].endsWith("有限公司")) continue;
    for (let i = m.index + 2; i + 1 < m.index + m[0].length; i++) {
      const window = t.slice(i - 2, i + 2);
      if (!han.test(window) || window[2] === window[3]) continue;
      const swapped = window.slice(0, 2) + window[3] + window[2];
      // spelled the other way in a registered name, and this way nowhere else
      if (!registered.some((r) => r.includes(swapped)) || countOccurrences(t, window) > 1 || seen.has(i)) continue;
      seen.add(i);
      push({
        rule: "char.swapped",
        severity: "should",
        message: `疑似字序颠倒：本文其他地方写作“${swapped}”，此处为“${window}”。同一名称前后应一致。`,
        start: i - 2,
        end: i + 2,
        suggestion: swapped,
      });
    }
  }
}
