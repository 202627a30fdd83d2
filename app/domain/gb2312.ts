/**
 * The 6,763 hanzi of GB 2312 (rows 0xB0–0xF7). The letter's 仿宋_GB2312, 楷体_GB2312 and
 * 方正小标宋简体 have glyphs for these only: another hanzi (道滘's 滘, 高埗's 埗, 王堃's 堃) is drawn in
 * whatever font the office PC falls back to, or as a box. Built once from the GBK decoder every
 * JavaScript runtime has, so no table is shipped.
 */
let hanzi: Set<string> | null = null;
function gb2312Hanzi(): Set<string> {
  if (hanzi) return hanzi;
  const bytes: number[] = [];
  // 0xD7FA–0xD7FE are unassigned
  for (let lead = 0xb0; lead <= 0xf7; lead++) for (let trail = 0xa1; trail <= (lead === 0xd7 ? 0xf9 : 0xfe); trail++) bytes.push(lead, trail);
  hanzi = new Set(new TextDecoder("gbk").decode(new Uint8Array(bytes)));
  return hanzi;
}

/** The hanzi GBK encodes (21,003 and more): what the GBK faces 仿宋 and 楷体 that Windows ships cover. */
let gbk: Set<string> | null = null;
function gbkHanzi(): Set<string> {
  if (gbk) return gbk;
  const bytes: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) bytes.push(lead, trail);
  gbk = new Set(new TextDecoder("gbk").decode(new Uint8Array(bytes)));
  return gbk;
}

/**
 * Ideographs: CJK unified (with extension A), compatibility, and the extensions of planes 2 and 3
 * (B–H). Not \p{Script=Han}: that takes in 〇 and the radicals, which are not this question.
 */
const IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\ud840-\ud8bf][\udc00-\udfff]/g;

/** Each hanzi of `text` outside GB 2312, with its UTF-16 offset, and whether GBK has it (𠮷 and the other extension-B hanzi: not). */
export function hanziOutsideGb2312(text: string): { char: string; index: number; gbk: boolean }[] {
  const known = gb2312Hanzi();
  const out: { char: string; index: number; gbk: boolean }[] = [];
  for (const m of text.matchAll(IDEOGRAPH)) if (!known.has(m[0])) out.push({ char: m[0], index: m.index, gbk: gbkHanzi().has(m[0]) });
  return out;
}

/** `text` in pieces, those made of hanzi outside GB 2312 marked (consecutive ones together); "" gives none. */
export function splitByGb2312(text: string): { text: string; outside: boolean }[] {
  const out: { text: string; outside: boolean }[] = [];
  let at = 0;
  for (const { char, index } of hanziOutsideGb2312(text)) {
    if (index > at) out.push({ text: text.slice(at, index), outside: false });
    const last = out.at(-1);
    if (last?.outside && index === at) last.text += char;
    else out.push({ text: char, outside: true });
    at = index + char.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), outside: false });
  return out;
}
