/**
 * Shared helpers of the letters test project: seed letters, DOCX unzipping,
 * text extraction, LibreOffice/poppler runners and a tiny grayscale PNG codec.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { buildLetter, parseLetterTemplate, type Letter, type LetterInput } from "~/domain/letter";
import { parseBboxLayout } from "~/letters/print-layout";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const FONTS_CONF = path.join(ROOT, "app/letters/fonts.conf");
export const REFERENCE_DIR = path.join(ROOT, "tests/letters/reference");
export const ARTIFACTS_DIR = path.join(ROOT, "tests/.artifacts/letters");

// ---------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------

export type SeedLetter = LetterInput & { template: string };

export function readSeed(n: "108" | "109"): SeedLetter {
  return JSON.parse(fs.readFileSync(path.join(ROOT, `seeds/letters/letter-${n}.json`), "utf8"));
}

export function readTemplate(id: string) {
  return parseLetterTemplate(JSON.parse(fs.readFileSync(path.join(ROOT, `templates/${id}.json`), "utf8")));
}

export function seedLetter(n: "108" | "109"): Letter {
  const seed = readSeed(n);
  return buildLetter(readTemplate(seed.template), seed);
}

export function seedSource(n: "108" | "109"): string {
  return fs.readFileSync(path.join(ROOT, `seeds/source/letter-${n}.txt`), "utf8");
}

/** Drops all whitespace and the markdown markers of the extracted seeds (#, **, ---). */
export function normalise(s: string): string {
  return s
    .replace(/\*\*/g, "")
    .replace(/^\s*-{3,}\s*$/gm, "")
    .replace(/^#+ /gm, "")
    .replace(/\s+/g, "");
}

// ---------------------------------------------------------------------------
// DOCX
// ---------------------------------------------------------------------------

export interface DocxParts {
  files: Record<string, string>;
  document: string;
  styles: string;
  settings: string;
  /** header/footer XML by reference type (default, first, even) from the section properties. */
  headers: Record<string, string>;
  footers: Record<string, string>;
}

export async function unzipDocx(buf: Buffer): Promise<DocxParts> {
  const zip = await JSZip.loadAsync(buf);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    if (/\.(xml|rels)$/.test(name)) files[name] = await zip.files[name].async("string");
  }
  const rels = files["word/_rels/document.xml.rels"] ?? "";
  const target = (id: string) => {
    const m = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels) ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels);
    return m ? files[`word/${m[1]}`] : undefined;
  };
  const document = files["word/document.xml"];
  const refs = (kind: "header" | "footer") => {
    const out: Record<string, string> = {};
    for (const m of document.matchAll(new RegExp(`<w:${kind}Reference w:type="(\\w+)" r:id="(\\w+)"/>`, "g"))) {
      out[m[1]] = target(m[2]) ?? "";
    }
    return out;
  };
  return {
    files,
    document,
    styles: files["word/styles.xml"],
    settings: files["word/settings.xml"],
    headers: refs("header"),
    footers: refs("footer"),
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
export const decodeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);

/** The text of a WordprocessingML part in document order: w:t, w:tab → \t, w:br and paragraph ends → \n. */
export function xmlText(xml: string): string {
  let out = "";
  for (const m of xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:t\/>|<w:tab\/>|<w:br\/>|<w:br [^>]*\/>|<\/w:p>/g)) {
    if (m[1] !== undefined) out += decodeXml(m[1]);
    else if (m[0] === "<w:tab/>") out += "\t";
    else out += "\n";
  }
  return out;
}

/** The paragraphs (<w:p>…</w:p>) of a part. */
export function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gs)].map((m) => m[0]);
}

export function styleBlock(styles: string, id: string): string | undefined {
  const m = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>(.*?)</w:style>`, "s").exec(styles);
  return m?.[1];
}

/** Reads an attribute of the first `<w:el …>` in a fragment. */
export function attr(xml: string | undefined, el: string, name: string): string | undefined {
  if (!xml) return undefined;
  const tag = new RegExp(`<w:${el}(?: [^>]*)?/?>`).exec(xml)?.[0];
  return tag ? new RegExp(` w:${name}="([^"]*)"`).exec(tag)?.[1] : undefined;
}

/** Follows basedOn until a style sets the attribute. */
export function styleAttr(styles: string, id: string, el: string, name: string): string | undefined {
  for (let cur: string | undefined = id, guard = 0; cur && guard < 10; guard++) {
    const block = styleBlock(styles, cur);
    const v = attr(block, el, name);
    if (v !== undefined) return v;
    cur = attr(block, "basedOn", "val");
  }
  return attr(/<w:docDefaults>.*?<\/w:docDefaults>/s.exec(styles)?.[0], el, name);
}

// ---------------------------------------------------------------------------
// External tools
// ---------------------------------------------------------------------------

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(cmd, args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024, timeout: opts.timeout ?? 120_000, env: opts.env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.toString("utf8")}`);
  return r.stdout;
}

/** Converts DOCX files to PDF with one soffice call (a throwaway profile, the font alias file). */
export function convertToPdf(docxFiles: string[], outDir: string): void {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "letters-lo-profile-"));
  try {
    run("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", outDir, ...docxFiles], {
      env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF },
      timeout: 300_000,
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

export function pdfPages(pdf: string): number {
  const info = run("pdfinfo", [pdf]).toString("utf8");
  const m = /^Pages:\s+(\d+)/m.exec(info);
  if (!m) throw new Error(`pdfinfo: no page count for ${pdf}`);
  return Number(m[1]);
}

export interface BoxWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
export interface BoxLine extends Omit<BoxWord, "text"> {
  text: string;
}

/** Lines with their boxes (in mm from the top-left corner) from `pdftotext -bbox-layout` (parsed as the print pipeline does). */
export function pdfLines(pdf: string): BoxLine[] {
  return parseBboxLayout(run("pdftotext", ["-bbox-layout", pdf, "-"]).toString("utf8"));
}

export function pdfText(pdf: string, page?: number): string {
  const args = page ? ["-f", String(page), "-l", String(page)] : [];
  return run("pdftotext", [...args, "-layout", pdf, "-"]).toString("utf8");
}

// ---------------------------------------------------------------------------
// Rasters
// ---------------------------------------------------------------------------

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Parses binary PGM (P5) or PPM (P6), as written by pdftoppm. */
export function parsePnm(buf: Buffer): Raster {
  let pos = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) {
      while (buf[pos] !== 0x0a) pos++;
      return token();
    }
    const start = pos;
    while (!/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    return buf.subarray(start, pos).toString("ascii");
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  token(); // maxval 255
  pos++; // one whitespace byte
  const channels = magic === "P6" ? 3 : 1;
  if (magic !== "P5" && magic !== "P6") throw new Error(`not a binary PNM: ${magic}`);
  return { width, height, channels, data: new Uint8Array(buf.subarray(pos, pos + width * height * channels)) };
}

/** Renders one page with pdftoppm: grayscale (PGM) or colour (PPM). */
export function rasterise(pdf: string, page: number, dpi: number, gray: boolean): Raster {
  const args = ["-r", String(dpi), "-f", String(page), "-l", String(page), ...(gray ? ["-gray"] : []), pdf];
  return parsePnm(run("pdftoppm", args));
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes an 8-bit grayscale raster as PNG (filter "up", zlib level 9). */
export function encodeGrayPng(r: Raster): Buffer {
  if (r.channels !== 1) throw new Error("encodeGrayPng: grayscale only");
  const rows: Buffer[] = [];
  for (let y = 0; y < r.height; y++) {
    const row = Buffer.alloc(r.width + 1);
    row[0] = 2; // Up
    for (let x = 0; x < r.width; x++) {
      const cur = r.data[y * r.width + x];
      const up = y > 0 ? r.data[(y - 1) * r.width + x] : 0;
      row[x + 1] = (cur - up) & 0xff;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Decodes an 8-bit grayscale, non-interlaced PNG (all five row filters). */
export function decodeGrayPng(buf: Buffer): Raster {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString("ascii");
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) throw new Error("decodeGrayPng: 8-bit grayscale, non-interlaced only");
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (width + 1)];
    for (let x = 0; x < width; x++) {
      const v = raw[y * (width + 1) + 1 + x];
      const a = x > 0 ? out[y * width + x - 1] : 0;
      const b = y > 0 ? out[(y - 1) * width + x] : 0;
      const c = x > 0 && y > 0 ? out[(y - 1) * width + x - 1] : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * width + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels: 1, data: out };
}

/** Share of pixels whose gray levels differ by more than `tolerance`; 1 when the sizes differ. */
export function pixelDifference(a: Raster, b: Raster, tolerance = 48): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) return 1;
  let differing = 0;
  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i] - b.data[i]) > tolerance) differing++;
  return differing / a.data.length;
}
