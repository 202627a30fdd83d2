/** CLI commands for the library (see scripts/cli.ts for how they are wired). */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { getDb } from "../../db/client.server";
import { DOCUMENT_KINDS, type Highlighted } from "../../app/domain/library";
import { findImportedFile, importWithDefaults, LibraryImportError, readLibrarySource, rewordedLinks } from "../../app/models/library-import.server";
import { rebuildSearchIndex, searchParagraphs } from "../../app/models/library-search.server";
import { getStaleAfterDays } from "../../app/models/paragraph.server";
import { suggestForProposal } from "../../app/models/suggestions.server";
import { prepareDatabase } from "../../app/setup.server";
import { isValidIsoDate } from "../../app/domain/letter";
import { limitOption, proposalQueryArgs, UsageError, type Command } from "./command";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD")
  .refine(isValidIsoDate, "日期不存在（如 2021-02-30）");

/** Matches in bold on a terminal, in 【】 otherwise (pipes, files). */
function render(h: Highlighted, tty: boolean) {
  const text = h.segments.map((s) => (s.hit ? (tty ? `\x1b[1;33m${s.text}\x1b[0m` : `【${s.text}】`) : s.text)).join("");
  return `${h.clippedStart ? "……" : ""}${text.replace(/\s*\n\s*/g, " ")}${h.clippedEnd ? "……" : ""}`;
}

/** One-line progress on a terminal ("[2/5] letter-109.txt ███░░ 12/20"), nothing when piped. */
function progressBar(label: string, done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 20;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(`\r${label} ${"█".repeat(filled)}${"░".repeat(width - filled)} ${done}/${total}`);
  if (done >= total) process.stderr.write("\r\x1b[K");
}

export const libraryCommands: Record<string, Command> = {
  "paragraphs:search": {
    summary: "在段落库中检索（中文全文检索，按相关度排序）",
    usage: 'paragraphs:search "专精特新" [--limit N] [--json] [--status active|retired|all]',
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        options: { limit: { type: "string" }, json: { type: "boolean" }, status: { type: "string" } },
        allowPositionals: true,
        strict: true,
      });
      const q = positionals.join(" ").trim();
      if (!q) throw new UsageError('请指定检索词，例如：paragraphs:search "专精特新"');
      const limit = limitOption(values.limit, 10);
      const status = z.enum(["active", "retired", "all"], { error: "--status 须为 active、retired 或 all" }).parse(values.status ?? "active");
      await prepareDatabase();
      const db = await getDb();
      const r = await searchParagraphs(db, { q, limit, status, today: new Date(), staleAfterDays: await getStaleAfterDays(db), withBody: Boolean(values.json) });
      if (r.strategy === "none") throw new UsageError("检索词中没有可检索的文字（标点和空格会被忽略）。");
      if (values.json) {
        const out = r.rows.map((row) => ({
          id: row.id,
          title: row.title,
          source: row.source,
          score: row.score === null ? null : Math.round(row.score * 10000) / 10000,
          text: row.body ?? row.snippet.segments.map((s) => s.text).join(""),
          status: row.status,
          version: row.version,
          tags: row.tags,
          uses: row.uses,
          stale: row.stale,
        }));
        console.log(JSON.stringify(out, null, 2));
        return;
      }
      if (r.rows.length === 0) {
        console.log(`没有找到包含“${r.terms.join("”“")}”的段落。`);
        return;
      }
      const tty = Boolean(process.stdout.isTTY);
      r.rows.forEach((row, i) => {
        console.log(
          `${String(i + 1).padStart(2)}. #${row.id} ${row.title}  [相关度 ${row.score?.toFixed(3)}]${row.status === "retired" ? " （已停用）" : ""}${row.stale.length ? " ⚠ 时效提醒" : ""}`,
        );
        if (row.source) console.log(`    来源：${row.source}`);
        console.log(`    ${render(row.snippet, tty)}`);
      });
      console.error(`\n共 ${r.rows.length} 段，用时 ${r.ms.toFixed(1)} 毫秒（${r.strategy === "index" ? "索引" : r.strategy === "full" ? "全量排序" : "扫描"}）。`);
    },
  },
  "paragraphs:suggest": {
    summary: "为一件提案推荐段落（与起草页相同：按案由、提案者和相近答复排序）",
    usage: 'paragraphs:suggest "案由" [--proposer 名称] [--limit N] [--json]',
    run: async (args) => {
      const q = proposalQueryArgs(args, 'paragraphs:suggest "关于加快培育专精特新中小企业的建议"', { fallback: 10 });
      await prepareDatabase();
      const db = await getDb();
      const rows = await suggestForProposal(db, { ...q, today: new Date() });
      if (q.json) {
        console.log(
          JSON.stringify(
            rows.map((r) => ({
              id: r.id,
              title: r.title,
              source: r.source,
              score: Math.round(r.combined * 10000) / 10000,
              why: r.why,
              stale: r.stale,
              text: r.snippet.segments.map((x) => x.text).join(""),
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (!rows.length) return console.log("段落库中没有与这个案由相关的段落。");
      rows.forEach((r, i) => {
        console.log(`${String(i + 1).padStart(2)}. #${r.id} ${r.title}  [${r.combined.toFixed(3)}]${r.stale.length ? " ⚠ 时效提醒" : ""}`);
        if (r.source) console.log(`    来源：${r.source}`);
        if (r.why) console.log(`    ${r.why}`);
      });
    },
  },
  "paragraphs:import": {
    summary: "把政策文件或答复函（.txt / .md / .docx）导入段落库；每个文件一个事务，已在库中的段落自动关联",
    usage: "paragraphs:import FILE... [--kind policy|letter] [--as-of YYYY-MM-DD] [--tags 标签1,标签2] [--update-reworded]",
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        options: { kind: { type: "string" }, "as-of": { type: "string" }, tags: { type: "string" }, "update-reworded": { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length === 0) throw new UsageError("请指定要导入的文件，例如：paragraphs:import seeds/source/letter-108.txt");
      const kind = values.kind === undefined ? "auto" : z.enum(DOCUMENT_KINDS, { error: "--kind 须为 policy 或 letter" }).parse(values.kind);
      const asOf = values["as-of"] === undefined ? undefined : isoDate.parse(values["as-of"]);
      const tags = values.tags
        ?.split(/[,，、]/)
        .map((t) => t.trim())
        .filter(Boolean);
      for (const f of positionals) if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`文件不存在：${f}`);
      await prepareDatabase();
      const db = await getDb();
      const totals = { files: 0, created: 0, linked: 0, updated: 0, skipped: 0, failed: 0, already: 0 };
      for (const [n, file] of positionals.entries()) {
        const label = `[${n + 1}/${positionals.length}] ${path.basename(file)}`;
        const content = fs.readFileSync(file);
        try {
          const existing = await findImportedFile(db, content);
          if (existing) {
            console.log(`${label}：已导入过（《${existing.title}》），跳过。`);
            totals.already++;
            continue;
          }
          const source = await readLibrarySource({ fileName: path.basename(file), content });
          const r = await db.transaction((tx) =>
            importWithDefaults(tx, {
              source,
              kind,
              asOf,
              tags,
              actorId: null,
              onProgress: (done, total) => progressBar(label, done, total),
              reworded: values["update-reworded"] ? "update" : "link",
            }),
          );
          totals.files++;
          totals.created += r.created;
          totals.linked += r.linked;
          totals.updated += r.updated;
          totals.skipped += r.skipped;
          console.log(
            `${label}：${r.document.kind === "letter" ? "答复函" : "政策文件"}《${r.document.title}》新增 ${r.created} 段，关联已有段落 ${r.linked} 处，${r.updated ? `更新库中段落 ${r.updated} 段，` : ""}未导入 ${r.skipped} 段（标题等）。`,
          );
          for (const note of source.notes) console.log(`    注意：${note}`);
          // a near copy worded differently was linked: the library keeps its old wording (said, not left to be found)
          const reworded = rewordedLinks(r.items);
          for (const x of reworded)
            console.log(`    注意：第 ${x.index + 1} 段“${x.title}”与库中段落 #${x.paragraphId}“${x.paragraphTitle}”措辞不同，已记为一次修改后使用，库中段落未更新。`);
          if (reworded.length)
            console.log(
              "    如这些是库中段落的修订，请在段落库中打开该段落改为新措辞（以后导入时加 --update-reworded，可直接用新措辞更新库中段落）；如是另一段内容，请在段落库中另行新增。",
            );
        } catch (e) {
          if (!(e instanceof LibraryImportError)) throw e;
          totals.failed++;
          console.error(`${label}：未导入。${e.messages.join(" ")}`);
        }
      }
      console.log(
        `完成：导入 ${totals.files} 个文件，新增 ${totals.created} 段，关联 ${totals.linked} 处${totals.already ? `，${totals.already} 个文件此前已导入` : ""}${totals.failed ? `，${totals.failed} 个文件失败` : ""}。`,
      );
      if (totals.failed) throw new UsageError(`${totals.failed} 个文件未能导入（见上）。其余文件已导入。`);
    },
  },
  "paragraphs:reindex": {
    summary: "重建段落库的检索索引（调整排序参数后或数据迁移后使用）",
    usage: "paragraphs:reindex",
    run: async () => {
      await prepareDatabase();
      const db = await getDb();
      const r = await db.transaction((tx) => rebuildSearchIndex(tx, { onProgress: (done, total) => progressBar("重建索引", done, total) }));
      console.log(`已重建检索索引：${r.paragraphs} 段，${r.grams} 个二字组，${r.postings} 条索引项。`);
    },
  },
};
