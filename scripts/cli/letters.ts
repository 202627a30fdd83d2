/** CLI commands for the letters (see scripts/cli.ts for how they are wired). */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getDb } from "../../db/client.server";
import { letterSchema } from "../../app/domain/letter";
import { renderLetterDocx } from "../../app/letters/docx.server";
import { PrintUnavailableError, printAvailable, printLetter } from "../../app/letters/print.server";
import { exportFilterSchema, listExportItems, writeLettersZip, type ExportProgress } from "../../app/letters/export.server";
import { letterFileName } from "../../app/letters/files";
import { RenderPool } from "../../app/letters/render-pool.server";
import { publicLetter } from "../../app/domain/redaction";
import { compileRules } from "../../app/domain/redaction-rules";
import { rulesForLetter } from "../../app/models/redaction.server";
import { getSignedLetterByNumber } from "../../app/models/letter.server";
import { recordAudit } from "../../app/models/audit.server";
import { findSimilarLetters } from "../../app/models/letter-reuse.server";
import { getProposal, listMeetings } from "../../app/models/proposal.server";
import { prepareDatabase } from "../../app/setup.server";
import { proposalQueryArgs, UsageError, type Command } from "./command";
import { meetingKey } from "../../app/domain/proposal";

/** Writes next to the target and renames at the end, so a failed run leaves no half-written file. */
async function writeAtomically(target: string, write: (tmp: string) => Promise<void>) {
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw new UsageError(`输出目录不存在：${dir}`);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.part`);
  try {
    await write(tmp);
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A progress bar on a terminal; on a pipe or log file, a line every 10 %. */
function progressPrinter(label: string) {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return {
    update({ done, total }: ExportProgress) {
      const ratio = total ? done / total : 1;
      if (tty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`);
      } else {
        const tenth = Math.floor(ratio * 10);
        if (tenth !== lastTenth && (done === total || tenth > lastTenth)) {
          lastTenth = tenth;
          process.stderr.write(`${label} ${done}/${total}（${Math.floor(ratio * 100)}%）\n`);
        }
      }
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

export const lettersCommands: Record<string, Command> = {
  "letters:similar": {
    summary: "与某一案由最相近的已签发答复函（与起草页“参照往年答复”相同的排序）",
    usage: 'letters:similar "案由" [--proposer 名称] [--limit N] [--json]',
    run: async (args) => {
      const q = proposalQueryArgs(args, 'letters:similar "关于加快智能终端产业集群发展的建议" --proposer 民建市委会', { fallback: 5, max: 100 });
      await prepareDatabase();
      const db = await getDb();
      // the command line reads as an administrator: every signed letter
      const rows = await findSimilarLetters(db, { ...q, scope: {} });
      if (q.json) {
        console.log(
          JSON.stringify(
            rows.map((r) => ({
              documentNumber: r.documentNumber,
              title: r.title,
              proposers: r.proposers,
              date: r.date,
              score: Math.round(r.score * 10000) / 10000,
              reason: r.reason,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (!rows.length) return console.log("没有相近的已签发答复函。");
      rows.forEach((r, i) => console.log(`${i + 1}. ${r.documentNumber}  《${r.title}》  [${r.score.toFixed(3)}]\n   ${r.reason}`));
    },
  },
  "letter:docx": {
    summary: "按文号导出一份已签发的答复函（Word 文件，与签发时冻结的文本一致；--public 为公开版）",
    usage: "letter:docx --number 东工信函〔2021〕108号 [--out 文件.docx] [--public]",
    run: async (args) => {
      const { values } = parseArgs({ args, options: { number: { type: "string" }, out: { type: "string" }, public: { type: "boolean" } }, strict: true });
      if (!values.number?.trim()) throw new UsageError("请用 --number 指定文号，例如 --number 东工信函〔2021〕108号");
      if (values.out !== undefined && !values.out.trim()) throw new UsageError("--out 不能为空");
      await prepareDatabase();
      const db = await getDb();
      const found = await getSignedLetterByNumber(db, values.number);
      if (!found) throw new UsageError(`没有文号为 ${values.number.trim()} 的已签发答复函。`);
      const proposal = await getProposal(db, found.proposalId);
      // 公开版 as the public site serves it: the redaction rules in force for this letter apply too.
      const letter = values.public ? publicLetter(found.finalLetter, compileRules(await rulesForLetter(db, found.id))) : found.finalLetter;
      const out =
        values.out ??
        letterFileName({
          documentNumber: found.documentNumber,
          proposalNumber: proposal?.number ?? String(found.proposalId),
          kind: letter.kind,
          draft: false,
          public: values.public,
        });
      const docx = await renderLetterDocx(letter);
      await writeAtomically(out, async (tmp) => fs.writeFileSync(tmp, docx));
      // a letter taken out of the system is in the audit log, from the CLI as from the pages
      await recordAudit(db, { action: "letter_downloaded", address: "命令行", target: found.documentNumber, detail: values.public ? "公开版（letter:docx）" : "letter:docx" });
      console.log(`已导出 ${found.documentNumber}${values.public ? "（公开版）" : ""} 到 ${out}（${kb(docx.length)}）。`);
    },
  },
  "letter:render": {
    summary: "把一个 Letter 值（JSON，与系统保存的格式相同，见 README）排成 Word 文件；--pdf 另用 LibreOffice 排出 PDF（与打印预览同一流程）",
    usage: "letter:render LETTER.json --out 文件.docx [--pdf]",
    run: async (args) => {
      const { values, positionals } = parseArgs({ args, options: { out: { type: "string" }, pdf: { type: "boolean" } }, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new UsageError("请给出一个 Letter JSON 文件，例如 letter:render letter.json --out letter.docx");
      if (!values.out?.trim()) throw new UsageError("请用 --out 指定输出的 Word 文件，例如 --out letter.docx");
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(positionals[0], "utf8"));
      } catch (e) {
        throw new UsageError(`无法读取 ${positionals[0]}：${e instanceof SyntaxError ? `不是有效的 JSON（${e.message}）` : (e as Error).message}`);
      }
      const parsed = letterSchema.safeParse(raw);
      if (!parsed.success) {
        throw new UsageError(`${positionals[0]} 不是有效的 Letter 值：\n${parsed.error.issues.map((i) => `  ${i.path.join(".") || "(根)"}: ${i.message}`).join("\n")}`);
      }
      const letter = parsed.data;
      const docx = await renderLetterDocx(letter);
      await writeAtomically(values.out, async (tmp) => fs.writeFileSync(tmp, docx));
      console.log(`已写出 ${values.out}（${kb(docx.length)}）。`);
      if (values.pdf) {
        if (!printAvailable()) throw new UsageError(new PrintUnavailableError().message);
        const printed = await printLetter(letter);
        const pdfOut = values.out.replace(/\.docx$/i, "") + ".pdf";
        await writeAtomically(pdfOut, async (tmp) => fs.copyFileSync(printed.pdf, tmp));
        const fit = printed.carried ? "；落款原会单独成页，已带上正文最后两行" : printed.linesPerPage > 22 ? `；落款原会另起一页，行距已调整为每页 ${printed.linesPerPage} 行` : "";
        console.log(`已写出 ${pdfOut}（${printed.pages} 页${fit}）。`);
        // the print could not be read back: its pagination was neither checked nor mended
        if (printed.unchecked) console.log(`注意：未能自动检查分页（${printed.unchecked}），请逐页查看落款是否与正文同页。`);
      }
    },
  },
  "letters:export": {
    summary: "把一次会议（或全部）的答复函打包为一个 ZIP（按文号和提案号命名，附 清单.csv），显示进度",
    usage: "letters:export [--meeting 会议] [--state signed|draft] --out letters.zip",
    run: async (args) => {
      const { values } = parseArgs({ args, options: { meeting: { type: "string" }, state: { type: "string" }, out: { type: "string" } }, strict: true });
      if (!values.out?.trim()) throw new UsageError("请用 --out 指定输出的 ZIP 文件，例如 --out letters.zip");
      // an unset shell variable ("--meeting $M") must not quietly mean every meeting
      if (values.meeting !== undefined && !values.meeting.trim()) throw new UsageError("--meeting 不能为空；要导出全部会议，请不加 --meeting");
      const filter = exportFilterSchema.safeParse({ meeting: values.meeting, state: values.state });
      if (!filter.success) throw new UsageError(filter.error.issues.map((i) => i.message).join("；"));
      await prepareDatabase();
      const db = await getDb();
      const items = await listExportItems(db, filter.data);
      if (!items.length) {
        const meetings = await listMeetings(db);
        const asked = filter.data.meeting ? meetingKey(filter.data.meeting) : null;
        const hint = asked && !meetings.some((m) => meetingKey(m) === asked) ? `没有名为“${filter.data.meeting}”的会议。已有的会议：${meetings.join("、") || "（无）"}` : "";
        throw new UsageError(`没有符合条件的答复函，未生成文件。${hint}`);
      }
      const pool = new RenderPool();
      const progress = progressPrinter("导出答复函");
      let result: Awaited<ReturnType<typeof writeLettersZip>> | undefined;
      try {
        await writeAtomically(values.out, async (tmp) => {
          const file = fs.createWriteStream(tmp);
          const closed = new Promise<void>((resolve, reject) => {
            file.once("close", resolve);
            file.once("error", reject);
          });
          // A file that cannot be written (no permission, a full disk) ends the export with its reason
          // and the temporary file removed, whichever of the two fails first.
          const stop = new AbortController();
          const written = writeLettersZip(db, items, file, { pool, signal: stop.signal, onProgress: (p) => progress.update(p) });
          try {
            [result] = await Promise.all([written, closed]);
          } catch (e) {
            // stop the rendering too, and wait for it: no progress line after the error
            stop.abort(e);
            file.destroy();
            // (its own failure, if any, is this one; a few seconds at most, whatever it was waiting on)
            await Promise.race([written.catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
            throw e;
          }
        });
      } finally {
        progress.end();
        await pool.close();
      }
      const r = result!;
      await recordAudit(db, { action: "letters_exported", address: "命令行", target: filter.data.meeting ?? "全部会议", detail: `${r.files} 封（letters:export）` });
      console.log(`已导出 ${r.files} 封答复函到 ${values.out}（${kb(r.bytes)}），清单见压缩包内的 清单.csv。`);
      if (r.failed) console.log(`其中 ${r.failed} 封无法生成，原因见清单的“说明”一列。`);
    },
  },
};
