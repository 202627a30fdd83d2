/**
 * The printed letter: the DOCX laid out by LibreOffice (soffice --headless) into a PDF, and
 * the PDF's pages as pictures for the print preview (poppler's pdftoppm).
 *
 * Pagination is checked on the result (app/letters/print-layout.ts): when the closing block
 * (signature, seal, date, 公开方式) lands on a page with no body text, the letter is laid out
 * a second time with the last body paragraph's last two lines carried over
 * (LayoutOptions.carryFrom) — what Word does by itself with keep-with-next, which
 * LibreOffice does not do for a paragraph continued from the page before — unless a tighter
 * line spacing (23 to 25 lines a page, the standard's own remedy) saves that last page.
 *
 * Conversions run one at a time in this process (soffice is heavy: ~2 s and ~200 MB each),
 * each with its own profile directory. Results are kept on disk by a hash of the letter
 * value and the renderer's version, so a letter revision is converted once, and several app
 * processes on one machine share the files.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Letter } from "~/domain/letter";
import type { LayoutOptions } from "./docx.server";
import { sharedRenderPool } from "./render-pool.server";
import { bodyLinesWithClosing, carryOffset, closingAlone, parseBboxLayout, printedLines } from "./print-layout";

/** Bump when the DOCX renderer or this pipeline changes what a printed letter looks like. */
export const PRINT_VERSION = "2026-12-03.1";
const PREVIEW_DPI = 80;

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
let tools: { soffice: boolean; poppler: boolean } | undefined;
function available() {
  tools ??= { soffice: has("soffice"), poppler: has("pdftotext") && has("pdftoppm") };
  return tools;
}

/** Can this server print letters to PDF (LibreOffice) and show their pages (poppler)? */
export function printAvailable(): boolean {
  const t = available();
  return t.soffice && t.poppler;
}

export class PrintUnavailableError extends Error {
  constructor() {
    super(
      available().soffice
        ? "本服务器未安装 poppler-utils（pdftotext、pdftoppm），无法生成打印预览。"
        : "本服务器未安装 LibreOffice，暂不提供 PDF 版本和打印预览；请下载 Word 文件。",
    );
  }
}

export interface PrintedLetter {
  key: string;
  pdf: string;
  pages: number;
  /** The last body lines were carried over to the closing block's page. */
  carried: boolean;
  /** 22, or more where the line spacing was tightened to save a page (GB/T 9704 7.3.5.4). */
  linesPerPage: number;
  /** Why the pagination could not be checked (e.g. a table pdftotext reads out of order). */
  unchecked: string | null;
}

let cacheRootDir: string | null = null;
/**
 * The print cache holds drafts and 不予公开 letters too: private to this server's user (0700),
 * and never a directory someone else made first (they could read it, or put their PDF in it).
 */
export function printCacheDir(): string {
  if (cacheRootDir) return cacheRootDir;
  const uid = process.getuid?.();
  const preferred = path.join(os.tmpdir(), `proposal-reply-desk-print-${uid ?? "user"}`);
  fs.mkdirSync(preferred, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(preferred);
  if (st.isDirectory() && !st.isSymbolicLink() && (uid === undefined || st.uid === uid)) {
    fs.chmodSync(preferred, 0o700);
    cacheRootDir = preferred;
  } else cacheRootDir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-print-cache-"));
  return cacheRootDir;
}

/** Prints not asked for in this many days are removed (the housekeeping job); asked again, they are printed again. */
export const PRINT_CACHE_DAYS = 7;

export function sweepPrintCache(now = Date.now()): number {
  const root = printCacheDir();
  let removed = 0;
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const dir = path.join(root, entry.name);
    try {
      if (entry.isDirectory() && fs.statSync(dir).mtimeMs < now - PRINT_CACHE_DAYS * 86_400_000) {
        fs.rmSync(dir, { recursive: true, force: true });
        removed++;
      }
    } catch {
      /* taken by another sweep */
    }
  }
  return removed;
}
const FONTS_CONF = path.join(process.cwd(), "app/letters/fonts.conf");

export function printKey(letter: Letter): string {
  return createHash("sha256").update(PRINT_VERSION).update(JSON.stringify(letter)).digest("hex").slice(0, 32);
}

const dirOf = (key: string) => path.join(printCacheDir(), key);

function readCached(key: string): PrintedLetter | null {
  try {
    // Asked for: kept by the sweep for another PRINT_CACHE_DAYS.
    const now = new Date();
    fs.utimesSync(dirOf(key), now, now);
    const meta = JSON.parse(fs.readFileSync(path.join(dirOf(key), "meta.json"), "utf8")) as Omit<PrintedLetter, "pdf" | "key">;
    const pdf = path.join(dirOf(key), "letter.pdf");
    return fs.existsSync(pdf) ? { ...meta, key, pdf } : null;
  } catch {
    return null;
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * A print in the line, shared by everyone who asked for the same letter. Given up (its place in
 * the line freed, LibreOffice never started for it) when every request that wanted it went away
 * before its turn — a visitor closing the tab, a crawler dropping the connection.
 */
type QueuedPrint = { job: Promise<PrintedLetter>; wanted: number; kept: boolean; started: boolean; cancelled: boolean; isPublic: boolean };
const running = new Map<string, QueuedPrint>();

/**
 * Prints waiting behind the one LibreOffice runs (a few seconds each, minutes when one fails):
 * beyond these a request is told at once to come back (PrintBusyError, a 503) instead of waiting
 * with no end. The public site's PDFs may take only part of the line, so that a crawler of
 * /public/…pdf never holds an officer's 打印预览 or letter.pdf behind it.
 */
export const MAX_WAITING_PRINTS = 6;
export const MAX_WAITING_PUBLIC_PRINTS = 2;
let waiting = 0;
let waitingPublic = 0;

export class PrintBusyError extends Error {
  constructor() {
    super("打印服务正忙，请稍后再试；仍可下载 Word 文件。");
    this.name = "PrintBusyError";
  }
}

/**
 * The letter printed to PDF (cached); throws PrintUnavailableError where LibreOffice or poppler is
 * missing, PrintBusyError when too many prints wait (the public site's lane is shorter).
 */
export function printLetter(letter: Letter, opts: { lane?: "public"; signal?: AbortSignal } = {}): Promise<PrintedLetter> {
  if (!printAvailable()) return Promise.reject(new PrintUnavailableError());
  if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
  const key = printKey(letter);
  const hit = readCached(key);
  if (hit) return Promise.resolve(hit);
  let entry = running.get(key);
  if (!entry) {
    const isPublic = opts.lane === "public";
    if (waiting >= MAX_WAITING_PRINTS || (isPublic && waitingPublic >= MAX_WAITING_PUBLIC_PRINTS)) return Promise.reject(new PrintBusyError());
    waiting++;
    if (isPublic) waitingPublic++;
    const e: QueuedPrint = { job: Promise.resolve() as never, wanted: 0, kept: false, started: false, cancelled: false, isPublic };
    e.job = queue.then(async () => {
      if (e.cancelled) throw new Error("打印已取消：请求已离开");
      // its turn: out of the waiting line
      e.started = true;
      waiting--;
      if (isPublic) waitingPublic--;
      return readCached(key) ?? (await printBatch([letter]))[0];
    });
    queue = e.job.catch(() => {});
    running.set(key, e);
    e.job
      .finally(() => {
        if (running.get(key) === e) running.delete(key);
      })
      .catch(() => {});
    entry = e;
  }
  return follow(key, entry, opts.signal);
}

/** One request's wait for a queued print; without a signal the print is never given up. */
function follow(key: string, e: QueuedPrint, signal: AbortSignal | undefined): Promise<PrintedLetter> {
  if (!signal) {
    e.kept = true;
    return e.job;
  }
  e.wanted++;
  return new Promise<PrintedLetter>((resolve, reject) => {
    const gone = () => {
      e.wanted--;
      if (e.wanted === 0 && !e.kept && !e.started && !e.cancelled) {
        e.cancelled = true;
        waiting--;
        if (e.isPublic) waitingPublic--;
        if (running.get(key) === e) running.delete(key);
      }
      reject(signal.reason);
    };
    signal.addEventListener("abort", gone, { once: true });
    e.job.then(resolve, reject).finally(() => signal.removeEventListener("abort", gone));
  });
}

/**
 * Several letters at once, with one soffice start per pass instead of one per letter (for
 * scripts and tests; the app prints one letter at a time through printLetter).
 */
export async function printLetters(letters: Letter[]): Promise<PrintedLetter[]> {
  if (!printAvailable()) throw new PrintUnavailableError();
  const job = queue.then(() => printBatch(letters));
  queue = job.catch(() => {});
  return job;
}

/** The finished print of this key if it is already on disk (no work). */
export function cachedPrint(key: string): PrintedLetter | null {
  return /^[0-9a-f]{32}$/.test(key) ? readCached(key) : null;
}

/** Page n (1-based) of a printed letter as PNG, rendered on first request and kept. */
const renderingPages = new Map<string, Promise<void>>();

export async function previewPage(printed: PrintedLetter, page: number): Promise<Buffer | null> {
  if (!Number.isInteger(page) || page < 1 || page > printed.pages) return null;
  const file = path.join(dirOf(printed.key), `page-${page}.png`);
  if (!fs.existsSync(file)) {
    // Two viewers of one page at once share one rendering (they wrote one temp file and the second failed).
    const id = `${printed.key}/${page}`;
    let pending = renderingPages.get(id);
    if (!pending) {
      const prefix = path.join(dirOf(printed.key), `tmp-${process.pid}-${page}-${randomUUID()}`);
      pending = runTool("pdftoppm", ["-r", String(PREVIEW_DPI), "-f", String(page), "-l", String(page), "-png", "-singlefile", printed.pdf, prefix]).then(() =>
        fs.renameSync(`${prefix}.png`, file),
      );
      renderingPages.set(id, pending);
      pending.finally(() => renderingPages.delete(id)).catch(() => {});
    }
    await pending;
  }
  return fs.readFileSync(file);
}

/** Tighter line spacings tried, in order, when the closing block went to a page of its own (22 is the standard's). */
export const TIGHTER_LINES_PER_PAGE = [23, 24, 25] as const;
/** At most this many body lines with the closing block on its page: the case for tighter spacing. */
const FEW_LINES = 3;

interface Variant {
  pdf: string;
  pages: number;
  linesPerPage: number;
  carried: boolean;
}

async function printBatch(letters: Letter[]): Promise<PrintedLetter[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "prd-print-"));
  try {
    const first = await convertAll(await Promise.all(letters.map((l) => sharedRenderPool().render(l, { target: "libreoffice" }))), work, "first");
    const results = await Promise.all(
      letters.map(async (letter, i) => ({
        letter,
        chosen: { pdf: first[i], pages: await pages(first[i]), linesPerPage: 22, carried: false } as Variant,
        unchecked: null as string | null,
        offset: null as number | null,
        tighten: false,
      })),
    );
    for (const r of results) {
      try {
        const lines = printedLines(r.letter, parseBboxLayout(await bbox(r.chosen.pdf)));
        r.offset = carryOffset(r.letter, lines);
        r.tighten = r.offset !== null || (bodyLinesWithClosing(lines) ?? Number.POSITIVE_INFINITY) <= FEW_LINES;
      } catch (e) {
        r.unchecked = e instanceof Error ? e.message : String(e);
      }
    }
    // The blank space at the end of the body could not hold seal and date: the closing block
    // went to a new page, alone or with the few lines widow control took along. GB/T 9704
    // 7.3.5.4: adjust the line spacing — taken when it saves that page, the least tightening
    // first. Otherwise, if the block stands alone, carry the last body lines over at the
    // standard spacing (7.3.5.1). All candidates are converted in one soffice run.
    const again = results.filter((r) => r.tighten);
    if (again.length) {
      const plans = again.flatMap((r) => [
        ...TIGHTER_LINES_PER_PAGE.map((n) => ({ r, options: { target: "libreoffice", linesPerPage: n } as LayoutOptions })),
        ...(r.offset === null ? [] : [{ r, options: { target: "libreoffice", carryFrom: r.offset } as LayoutOptions }]),
      ]);
      const pdfs = await convertAll(await Promise.all(plans.map((p) => sharedRenderPool().render(p.r.letter, p.options))), work, "again");
      for (const r of again) {
        let tighter: Variant | undefined;
        let carried: Variant | undefined;
        for (const [i, p] of plans.entries()) {
          if (p.r !== r) continue;
          const v = { pdf: pdfs[i], pages: await pages(pdfs[i]), linesPerPage: p.options.linesPerPage ?? 22, carried: p.options.carryFrom !== undefined };
          if (v.carried) carried = v;
          // a page saved, and the seal stands with body text
          else if (!tighter && v.pages < r.chosen.pages && (await sealAlone(r.letter, v.pdf)) === false) tighter = v;
        }
        r.chosen = tighter ?? carried ?? r.chosen;
      }
    }
    const out: PrintedLetter[] = [];
    for (const r of results) {
      const key = printKey(r.letter);
      const dir = dirOf(key);
      fs.mkdirSync(dir, { recursive: true });
      const meta = { pages: r.chosen.pages, carried: r.chosen.carried, linesPerPage: r.chosen.linesPerPage, unchecked: r.unchecked };
      // the PDF first, the meta file last: readCached sees a print only once both are complete
      const tmp = `.${process.pid}-${Date.now()}`;
      fs.copyFileSync(r.chosen.pdf, path.join(dir, `letter.pdf${tmp}`));
      fs.renameSync(path.join(dir, `letter.pdf${tmp}`), path.join(dir, "letter.pdf"));
      fs.writeFileSync(path.join(dir, `meta.json${tmp}`), JSON.stringify(meta));
      fs.renameSync(path.join(dir, `meta.json${tmp}`), path.join(dir, "meta.json"));
      out.push({ key, pdf: path.join(dir, "letter.pdf"), ...meta });
    }
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Does the closing block stand on a page without body text? null when the print cannot be read. */
async function sealAlone(letter: Letter, pdf: string): Promise<boolean | null> {
  try {
    // alone, whether or not carrying could mend it (a table ends the body): such a tighter print saves no page for the seal
    return closingAlone(printedLines(letter, parseBboxLayout(await bbox(pdf))));
  } catch {
    return null;
  }
}

const pages = async (pdf: string) => pageCount(await runTool("pdfinfo", [pdf]));

/** DOCX files → PDFs with one soffice run (its own profile directory, the font aliases). */
async function convertAll(docx: Buffer[], work: string, pass: string): Promise<string[]> {
  const dir = path.join(work, pass);
  fs.mkdirSync(dir);
  const files = docx.map((buf, i) => {
    const file = path.join(dir, `letter-${i}.docx`);
    fs.writeFileSync(file, buf);
    return file;
  });
  await runTool(
    "soffice",
    [`-env:UserInstallation=file://${work}/profile`, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, ...files],
    fs.existsSync(FONTS_CONF) ? { FONTCONFIG_FILE: FONTS_CONF } : {},
    60_000 + 15_000 * files.length,
  );
  return files.map((f) => {
    const pdf = f.replace(/\.docx$/, ".pdf");
    if (!fs.existsSync(pdf)) throw new Error("LibreOffice 未能生成 PDF");
    return pdf;
  });
}

const bbox = (pdf: string) => runTool("pdftotext", ["-bbox-layout", pdf, "-"]);

function pageCount(info: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(info);
  if (!m) throw new Error("pdfinfo: 无页数");
  return Number(m[1]);
}

/**
 * A tool run to completion, or killed — with everything it started — once its time is up.
 * soffice is a script that starts oosplash, which starts soffice.bin: killing the first left
 * soffice.bin running and holding the output pipes, so the run never ended and every later
 * print waited behind it in the queue. Each run gets its own process group, killed whole.
 */
export function runTool(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      settle(() => reject(new Error(`${cmd} 超过 ${Math.round(timeoutMs / 1000)} 秒未完成，已终止`)));
    }, timeoutMs);
    child.on("error", (e) => settle(() => reject(e)));
    child.on("close", (code) =>
      settle(() => {
        if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
        else reject(new Error(`${cmd} 失败（退出码 ${code}）：${Buffer.concat(err).toString("utf8").slice(0, 300)}`));
      }),
    );
  });
}
