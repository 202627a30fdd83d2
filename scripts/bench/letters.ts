/**
 * Letter output speed (issue 6). Measured in one run, with floors measured in the same run:
 *
 * 1. One letter: renderLetterDocx on letter 109 (4 pages; the page count is checked with
 *    LibreOffice when it is installed) and 108 (5–7 pages). Floors: the docx library alone
 *    (the same paragraphs as plain, unstyled paragraphs, packed by docx) and deflate alone
 *    (zlib on the XML our DOCX holds). Target: median ≤ 25 ms.
 * 2. Batch export: N signed letters (default 1,000) in a fresh database, exported with
 *    writeLettersZip exactly as the page and the CLI do (DB chunks → worker threads → ZIP
 *    file), sampling memory. Floors: the same renders on the pool alone (no DB, no ZIP), the
 *    same renders on one thread, and writing the rendered files into a ZIP alone.
 *    Target: ≤ 15 s using both cores, with flat memory.
 *
 * `npm run bench -- letters [--size 1000] [--drivers pglite,postgres] [--runs 200]`
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import v8 from "node:v8";
import vm from "node:vm";
import zlib from "node:zlib";
import { ZipArchive } from "archiver";
import { Document, Packer, Paragraph, TextRun } from "docx";
import JSZip from "jszip";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { batches, letters, proposals } from "../../db/schema";
import { buildLetter, letterPlainLines, parseLetterTemplate, type Letter, type LetterInput } from "../../app/domain/letter";
import { renderLetterDocx } from "../../app/letters/docx.server";
import { listExportItems, writeLettersZip } from "../../app/letters/export.server";
import { RenderPool } from "../../app/letters/render-pool.server";
import { createPostgresDatabase, postgresUnavailable } from "../../tests/support/databases";
import type { BenchModule, BenchOptions } from "../bench";

/** A full GC on demand, to measure what is retained (not what is merely uncollected). */
function gcFunction(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

const ms = (v: number) => Math.round(v * 100) / 100;
const mb = (v: number) => Math.round((v / 1024 / 1024) * 10) / 10;

function seedLetter(n: "108" | "109"): Letter {
  const seed = JSON.parse(fs.readFileSync(`seeds/letters/letter-${n}.json`, "utf8")) as LetterInput & { template: string };
  const template = parseLetterTemplate(JSON.parse(fs.readFileSync(`templates/${seed.template}.json`, "utf8")));
  return buildLetter(template, seed);
}

function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: ms(at(0.5)), p95: ms(at(0.95)), min: ms(s[0]), runs: s.length };
}

async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown) {
  for (let i = 0; i < Math.min(50, runs); i++) await fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return stats(times);
}

/** Pages of a DOCX as LibreOffice lays it out, or null without LibreOffice. */
function pagesWithLibreOffice(docx: Buffer): number | null {
  if (spawnSync("sh", ["-c", "command -v soffice && command -v pdfinfo"]).status !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-letters-"));
  try {
    fs.writeFileSync(path.join(dir, "l.docx"), docx);
    const env = { ...process.env, FONTCONFIG_FILE: path.resolve("app/letters/fonts.conf") };
    spawnSync("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, path.join(dir, "l.docx")], {
      env,
      timeout: 120_000,
    });
    const info = spawnSync("pdfinfo", [path.join(dir, "l.pdf")], { encoding: "utf8" }).stdout ?? "";
    const m = /^Pages:\s+(\d+)/m.exec(info);
    return m ? Number(m[1]) : null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor for the docx library: the same text as plain paragraphs, no styles, headers or fonts. */
function plainDocx(letter: Letter) {
  return Packer.toBuffer(new Document({ sections: [{ children: letterPlainLines(letter).map((t) => new Paragraph({ children: [new TextRun(t)] })) }] }));
}

async function singleLetter(runs: number) {
  const out: Record<string, unknown> = {};
  for (const n of ["109", "108"] as const) {
    const letter = seedLetter(n);
    const docx = await renderLetterDocx(letter);
    const zip = await JSZip.loadAsync(docx);
    const xml = await Promise.all(
      Object.values(zip.files)
        .filter((f) => f.name.endsWith(".xml"))
        .map((f) => f.async("nodebuffer")),
    );
    const ours = await timeRuns(runs, () => renderLetterDocx(letter));
    const docxAlone = await timeRuns(runs, () => plainDocx(letter));
    const deflateAlone = await timeRuns(runs, () => xml.forEach((b) => zlib.deflateRawSync(b)));
    const pages = pagesWithLibreOffice(docx);
    out[`letter${n}`] = {
      pages,
      bytes: docx.length,
      xmlBytes: xml.reduce((a, b) => a + b.length, 0),
      renderMs: ours,
      floorDocxAloneMs: docxAlone,
      floorDeflateAloneMs: deflateAlone,
      overDocxAloneMs: ms(ours.median - docxAlone.median),
    };
    console.log(
      `  ${n}（${pages ?? "?"} 页，${Math.round(docx.length / 1024)} KB）：渲染中位数 ${ours.median} ms（p95 ${ours.p95}）；` +
        `下限：docx 库单独 ${docxAlone.median} ms，deflate 单独 ${deflateAlone.median} ms`,
    );
  }
  return out;
}

/** N signed letters in one 会议, inserted directly (the export reads only these tables). */
async function seedLetters(h: DbHandle, n: number, letter: Letter) {
  const [batch] = await h.db.insert(batches).values({ meeting: "基准测试会议" }).returning({ id: batches.id });
  for (let start = 0; start < n; start += 250) {
    const count = Math.min(250, n - start);
    const rows = await h.db
      .insert(proposals)
      .values(
        Array.from({ length: count }, (_, i) => ({
          batchId: batch.id,
          number: String(50000 + start + i),
          title: `关于基准测试第${start + i + 1}号事项的建议`,
          bureauRole: "lead" as const,
          assignedOn: "2030-03-01",
          state: "replied",
          disclosure: "public" as const,
          proposerNames: "民建市委会",
        })),
      )
      .returning({ id: proposals.id, number: proposals.number });
    await h.db.insert(letters).values(
      rows.map((p, i) => {
        const documentNumber = `东工信函〔2030〕${start + i + 1}号`;
        return {
          proposalId: p.id,
          templateId: "reply-dg-gxj",
          state: "signed" as const,
          documentNumber,
          signedAt: new Date(Date.UTC(2030, 4, 1, 0, 0, start + i)),
          finalLetter: { ...letter, documentNumber, title: letter.title.replace(/第\d+号/, `第${p.number}号`) },
        };
      }),
    );
  }
}

class CountingSink extends Writable {
  bytes = 0;
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.bytes += chunk.length;
    cb();
  }
}

async function exportOn(driver: "pglite" | "postgres", size: number) {
  let handle: DbHandle;
  let drop: (() => Promise<void>) | null = null;
  if (driver === "postgres") {
    const created = await createPostgresDatabase();
    drop = created.drop;
    handle = await openDatabase({ kind: "postgres", url: created.url });
  } else handle = await openDatabase({ kind: "memory" });
  const letter = seedLetter("109");
  const pool = new RenderPool();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
  try {
    let t = performance.now();
    await seedLetters(handle, size, letter);
    console.log(`  ${driver}：写入 ${size} 封已签发答复函用时 ${Math.round(performance.now() - t)} ms`);
    const items = await listExportItems(handle.db, { meeting: "基准测试会议", state: "signed" });

    // Warm-up: start the workers and JIT the code paths (not measured).
    await writeLettersZip(handle.db, items.slice(0, 60), new CountingSink(), { pool });
    const gc = gcFunction();
    gc();

    // The measured export, sampling memory (RSS covers the worker threads too).
    const file = path.join(tmp, "letters.zip");
    const rssAt: Record<string, number> = {};
    /** Main-thread heap after a full GC at 10 %, 25 % … 100 %: flat means nothing accumulates per letter. */
    const retainedHeapAt: Record<string, number> = {};
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      return m.rss;
    };
    const rssBefore = sample();
    const timer = setInterval(sample, 20);
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    const closed = new Promise<void>((r) => out.once("close", () => r()));
    const result = await writeLettersZip(handle.db, items, out, {
      pool,
      onProgress: ({ done, total }) => {
        for (const q of [0.1, 0.25, 0.5, 0.75, 1])
          if (done === Math.round(total * q)) {
            rssAt[`${q * 100}%`] = mb(sample());
            gc();
            retainedHeapAt[`${q * 100}%`] = mb(process.memoryUsage().heapUsed);
          }
      },
    });
    await closed;
    const wall = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const entries = Object.keys(zip.files).length;

    // Floors, on the same letters.
    const letterValues = items.map((_, i) => ({ ...letter, documentNumber: `东工信函〔2030〕${i + 1}号` }));
    t = performance.now();
    const rendered = await Promise.all(letterValues.map((l) => pool.render(l)));
    const poolAlone = performance.now() - t;
    const serialSample = Math.min(200, size);
    t = performance.now();
    for (let i = 0; i < serialSample; i++) await renderLetterDocx(letterValues[i]);
    const serialPerLetter = (performance.now() - t) / serialSample;
    t = performance.now();
    const archive = new ZipArchive({ zlib: { level: 6 } });
    const sink = new CountingSink();
    archive.pipe(sink);
    rendered.forEach((b, i) => archive.append(b, { name: `${i}.docx`, store: true }));
    await archive.finalize();
    const zipAlone = performance.now() - t;

    const figures = {
      letters: size,
      workers: pool.size,
      threaded: pool.threaded,
      exportMs: Math.round(wall),
      perLetterMs: ms(wall / size),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      coresUsed: ms((cpu.user + cpu.system) / 1000 / wall),
      zipBytes: result.bytes,
      zipEntries: entries,
      failed: result.failed,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peakRss),
      peakHeapUsedMb: mb(peakHeap),
      rssDuringMb: rssAt,
      retainedHeapAfterGcMb: retainedHeapAt,
      floorPoolRenderAloneMs: Math.round(poolAlone),
      floorSerialRenderMs: Math.round(serialPerLetter * size),
      floorZipAloneMs: Math.round(zipAlone),
    };
    console.log(
      `  ${driver}：导出 ${size} 封 ${figures.exportMs} ms（每封 ${figures.perLetterMs} ms，${figures.workers} 个渲染线程，占用 ${figures.coresUsed} 核），ZIP ${mb(result.bytes)} MB，${entries} 个文件\n` +
        `    内存：开始 ${figures.rssBeforeMb} MB，峰值 RSS ${figures.peakRssMb} MB，进度中 RSS ${JSON.stringify(rssAt)}\n` +
        `    主线程 GC 后仍占用的堆：${JSON.stringify(retainedHeapAt)}\n` +
        `    下限：线程池单独渲染 ${figures.floorPoolRenderAloneMs} ms，单线程渲染 ${figures.floorSerialRenderMs} ms，单独打包 ZIP ${figures.floorZipAloneMs} ms`,
    );
    return figures;
  } finally {
    await pool.close();
    await handle.close();
    await drop?.();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export const bench: BenchModule = {
  name: "letters",
  summary: "答复函 DOCX 渲染（4 页，目标中位数 ≤ 25 ms）与 1,000 封批量导出（目标 ≤ 15 秒，双核，内存平稳）",
  run: async (opts: BenchOptions) => {
    const size = opts.size ?? 1000;
    const runs = opts.runs ?? 200;
    const drivers = opts.drivers ?? ["pglite"];
    const load = os.loadavg().map((v) => ms(v));
    console.log(
      `  机器负载（1/5/15 分钟）：${load.join(" / ")}；CPU ${os.availableParallelism()} 核${load[0] > os.availableParallelism() * 0.5 ? "（其他进程较忙，数字会偏慢）" : ""}`,
    );
    const single = await singleLetter(runs);
    const exports: Record<string, unknown> = {};
    for (const d of drivers) {
      if (d === "postgres") {
        const why = await postgresUnavailable();
        if (why) {
          console.log(`  跳过 postgres：${why}`);
          continue;
        }
      }
      exports[d] = await exportOn(d, size);
    }
    return { targets: { renderMedianMs: 25, exportOf1000Ms: 15_000 }, loadAverage: load, single, export: exports };
  },
};
