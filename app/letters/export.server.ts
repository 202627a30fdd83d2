/**
 * Batch export: the letters of a 会议 (or all) as ONE ZIP, streamed, with a manifest CSV.
 *
 * The ZIP is written while the letters render: the main thread reads letters from the database
 * in chunks and writes the archive, the RenderPool renders on worker threads. At most a small
 * window of rendered letters waits in memory, and the writer stops while the destination
 * (a file, or an HTTP response) is not taking data, so memory stays flat however many letters
 * there are. DOCX files are ZIP-compressed already: they are stored, not deflated again.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { ZipArchive as ZipArchiveType } from "archiver";
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { csvText } from "~/domain/csv";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { batches, letters, proposals } from "#db/schema";
import { formatLetterDate, letterSchema, type Letter } from "~/domain/letter";
import { DISCLOSURE_LABELS, STATE_LABELS, type ProposalState } from "~/domain/workflow";
import { getProposal } from "~/models/proposal.server";
import { getCurrentLetter } from "~/models/letter.server";
import { previewLetter, proposalFacts, templateFor } from "~/models/letter-templates.server";
import { letterFileName, uniqueNamer } from "./files";
import type { RenderPool } from "./render-pool.server";
import { sameMeeting } from "~/models/meeting.server";

export const EXPORT_LETTER_STATES = ["signed", "draft"] as const;
export type ExportLetterState = (typeof EXPORT_LETTER_STATES)[number];
export const MANIFEST_NAME = "清单.csv";

export const exportFilterSchema = z.object({
  meeting: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((s) => s || undefined),
  state: z.enum(EXPORT_LETTER_STATES, { error: "--state 只能是 signed（已签发）或 draft（草稿）" }).default("signed"),
});
export type ExportFilter = { meeting?: string; state: ExportLetterState };

export type ExportItem = {
  letterId: number;
  round: number;
  letterState: "draft" | "signed";
  documentNumber: string | null;
  templateId: string;
  currentRevisionId: number | null;
  latest: boolean;
  /** The newest round among the proposal's letters in this state (signed, or drafts). */
  latestRound: number;
  proposalId: number;
  meeting: string;
  number: string;
  title: string;
  proposerNames: string;
  proposalState: string;
  disclosure: string | null;
};

/**
 * The letters an export covers, without their text (that is read in chunks while writing).
 * Signed: every signed letter (a corrected letter keeps its own 文号, so an archive holds both
 * rounds; the manifest says which one is current). Draft: the current draft of each proposal.
 */
export async function listExportItems(db: Db, filter: ExportFilter): Promise<ExportItem[]> {
  const where: SQL[] = [eq(letters.state, filter.state)];
  if (filter.meeting) where.push(sameMeeting(filter.meeting));
  const rows = await db
    .select({
      letterId: letters.id,
      round: letters.round,
      letterState: letters.state,
      documentNumber: letters.documentNumber,
      templateId: letters.templateId,
      currentRevisionId: letters.currentRevisionId,
      // the newest of the proposal's letters in the same state: a draft of a next round (a
      // correction or 再办理 under way) does not make the signed reply stop being the current one
      latestRound: sql<number>`(select max(l2.round) from letters l2 where l2.proposal_id = ${letters.proposalId} and l2.state = ${letters.state})`,
      proposalId: proposals.id,
      meeting: batches.meeting,
      number: proposals.number,
      title: proposals.title,
      proposerNames: proposals.proposerNames,
      proposalState: proposals.state,
      disclosure: proposals.disclosure,
    })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .where(and(...where))
    .orderBy(asc(batches.meeting), asc(letters.signedAt), asc(letters.id));
  return rows.map((r) => ({ ...r, latestRound: Number(r.latestRound), latest: r.round === Number(r.latestRound) }));
}

/** How many letters an export with this filter covers (for the page, before starting). */
export async function countExportItems(db: Db, filter: ExportFilter): Promise<number> {
  const where: SQL[] = [eq(letters.state, filter.state)];
  if (filter.meeting) where.push(sameMeeting(filter.meeting));
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .where(and(...where));
  return Number(n);
}

/** The Letter to print for an item: the frozen one when signed, else built from the current draft (watermarked). */
async function lettersFor(db: Db, chunk: ExportItem[]): Promise<Map<number, Letter | Error>> {
  const out = new Map<number, Letter | Error>();
  const signed = chunk.filter((i) => i.letterState === "signed").map((i) => i.letterId);
  if (signed.length) {
    const rows = await db.select({ id: letters.id, finalLetter: letters.finalLetter }).from(letters).where(inArray(letters.id, signed));
    for (const r of rows) {
      const parsed = letterSchema.safeParse(r.finalLetter);
      out.set(r.id, parsed.success ? parsed.data : new Error("已签发的答复函数据无效"));
    }
  }
  for (const item of chunk.filter((i) => i.letterState === "draft")) {
    const p = await getProposal(db, item.proposalId);
    // The draft as it is now: an autosave since the list was made may have replaced its revision.
    const rev = (await getCurrentLetter(db, item.proposalId))?.revision ?? null;
    if (!p || !rev) {
      out.set(item.letterId, new Error("答复稿不存在"));
      continue;
    }
    const built = previewLetter(templateFor(p.bureauRole, item.templateId), proposalFacts(p), rev.draft);
    out.set(item.letterId, built.letter ?? new Error(built.errors.join("；")));
  }
  return out;
}

/** One line of 清单.csv: only what it prints (rows are kept until the end; Letter values are not). */
export type ManifestRow = {
  file: string;
  item: ExportItem;
  date: string | null;
  disclosure: string | null;
  sha256: string | null;
  error?: string;
};

const MANIFEST_COLUMNS = ["序号", "文件名", "会议", "提案号", "案由", "提案者", "文号", "成文日期", "轮次", "当前答复", "答复状态", "办理状态", "公开方式", "SHA-256", "说明"];

export function manifestCsv(rows: ManifestRow[]): string {
  const data = rows.map((r, i) => [
    i + 1,
    r.file,
    r.item.meeting,
    r.item.number,
    r.item.title,
    r.item.proposerNames,
    r.item.documentNumber ?? "",
    r.date ? formatLetterDate(r.date, "arabic") : "",
    r.item.round,
    r.item.latest ? "是" : `否（第 ${r.item.latestRound} 轮为最新）`,
    r.item.letterState === "signed" ? "已签发" : "草稿",
    STATE_LABELS[r.item.proposalState as ProposalState] ?? r.item.proposalState,
    r.disclosure ?? (r.item.disclosure ? DISCLOSURE_LABELS[r.item.disclosure as keyof typeof DISCLOSURE_LABELS] : ""),
    r.sha256 ?? "",
    r.error ?? "",
  ]);
  // The BOM makes Excel on Windows read the file as UTF-8.
  return csvText(MANIFEST_COLUMNS, data);
}

/** Resolves when `out` wants more data; rejects when it is closed or the export is cancelled. */
async function roomIn(out: Writable, signal?: AbortSignal) {
  if (!out.writableNeedDrain) return;
  if (out.destroyed || out.closed) throw new Error("输出已关闭");
  const ac = new AbortController();
  const onAbort = () => ac.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.race([
      once(out, "drain", { signal: ac.signal }),
      once(out, "close", { signal: ac.signal }).then(() => {
        throw new Error("输出已关闭");
      }),
    ]);
  } finally {
    ac.abort();
    signal?.removeEventListener("abort", onAbort);
  }
}

export type ExportProgress = { done: number; total: number };

export type WriteZipOptions = {
  pool: RenderPool;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** Letters read from the database per query. */
  chunkSize?: number;
};

/**
 * Writes the ZIP of `items` to `out` (ended when done). Letters that cannot be built or
 * rendered do not stop the export: the manifest lists them with the reason.
 */
export async function writeLettersZip(db: Db, items: ExportItem[], out: Writable, opts: WriteZipOptions): Promise<{ files: number; failed: number; bytes: number }> {
  const { pool, signal } = opts;
  const chunkSize = opts.chunkSize ?? 50;
  // A few letters per worker in flight keeps every core busy; more would only use memory.
  const window = pool.size * 3;
  // archiver (~20 MB) is loaded on the first export, not at start
  const { ZipArchive } = (await import("archiver")) as { ZipArchive: typeof ZipArchiveType };
  const archive = new ZipArchive({ zlib: { level: 6 } });
  let archiveError: Error | null = null;
  archive.on("error", (e) => (archiveError = e));
  archive.on("warning", (e) => console.warn(`[letters] ZIP：${e.message}`));
  const outClosed = new Promise<void>((resolve, reject) => {
    out.once("finish", resolve);
    out.once("close", resolve);
    out.once("error", reject);
  });
  outClosed.catch(() => {}); // observed below
  archive.pipe(out);

  const name = uniqueNamer();
  const manifest: ManifestRow[] = [];
  // A ZIP entry's time is a wall-clock time with no zone, read as local time by every unzipper;
  // archiver writes the UTC fields — an export at 07:30 in Dongguan showed 23:30 the day before.
  // Written as Beijing time (UTC+8, no daylight saving), whatever the server's zone.
  const date = new Date(Date.now() + 8 * 3_600_000);
  let done = 0;
  let failed = 0;
  opts.onProgress?.({ done, total: items.length });

  type Rendered = { item: ExportItem; letter: Letter | null; buf: Buffer | null; error?: string };
  const inFlight: Promise<Rendered>[] = [];

  const settle = async (r: Rendered) => {
    if (archiveError) throw archiveError;
    signal?.throwIfAborted();
    const file = name(letterFileName({ documentNumber: r.item.documentNumber, proposalNumber: r.item.number, kind: r.letter?.kind, draft: r.item.letterState === "draft" }));
    if (r.buf) {
      const entry = once(archive, "entry");
      archive.append(r.buf, { name: file, date, store: true });
      await entry;
      manifest.push({ file, item: r.item, date: r.letter?.date ?? null, disclosure: r.letter?.disclosure ?? null, sha256: createHash("sha256").update(r.buf).digest("hex") });
    } else {
      failed++;
      manifest.push({ file: "", item: r.item, date: r.letter?.date ?? null, disclosure: r.letter?.disclosure ?? null, sha256: null, error: r.error });
    }
    done++;
    opts.onProgress?.({ done, total: items.length });
    await roomIn(out, signal);
  };

  try {
    for (let start = 0; start < items.length; start += chunkSize) {
      signal?.throwIfAborted();
      const chunk = items.slice(start, start + chunkSize);
      const built = await lettersFor(db, chunk);
      for (const item of chunk) {
        const letter = built.get(item.letterId);
        const rendered: Promise<Rendered> =
          !letter || letter instanceof Error
            ? Promise.resolve({ item, letter: null, buf: null, error: `无法生成：${letter?.message ?? "答复函不存在"}` })
            : pool.render(letter).then(
                (buf) => ({ item, letter, buf }),
                (e: Error) => ({ item, letter, buf: null, error: `渲染失败：${e.message.split("\n")[0]}` }),
              );
        inFlight.push(rendered);
        if (inFlight.length >= window) await settle(await inFlight.shift()!);
      }
    }
    while (inFlight.length) await settle(await inFlight.shift()!);
    archive.append(manifestCsv(manifest), { name: MANIFEST_NAME, date });
    await archive.finalize();
    if (archiveError) throw archiveError;
    await outClosed;
    return { files: done - failed, failed, bytes: archive.pointer() };
  } catch (e) {
    archive.abort();
    out.destroy(e instanceof Error ? e : new Error(String(e)));
    // let the renders still running finish quietly
    await Promise.allSettled(inFlight);
    throw e;
  }
}

/** ZIP name for an export: 答复函_东莞市政协第十三届六次会议_已签发_2026-01-05.zip */
export function exportFileName(filter: ExportFilter, today: string): string {
  return `答复函_${filter.meeting ?? "全部会议"}_${filter.state === "signed" ? "已签发" : "草稿"}_${today}.zip`.replace(/[\\/:*?"<>|]/g, "_");
}
