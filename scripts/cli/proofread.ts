/** CLI: 公文校对 of a file (.txt, .md, .docx) — the same checker the editor and signing use. */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyFixes, proofreadText, SEVERITY_LABELS } from "../../app/domain/proofread";
import { UsageError, type Command } from "./command";

async function readText(file: string): Promise<string> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".docx") {
    const mammoth = (await import("mammoth")).default;
    return (await mammoth.extractRawText({ buffer: fs.readFileSync(file) })).value;
  }
  if (ext === ".txt" || ext === ".md") return fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  throw new UsageError(`不支持的文件类型：${ext || "（无扩展名）"}；请用 .txt、.md 或 .docx`);
}

export const proofreadCommands: Record<string, Command> = {
  proofread: {
    summary: "公文校对：日期、文号、层次序号、标点、错别字、空格、数字用法、称谓等，输出每处问题及修改建议",
    usage: "proofread FILE [--json] [--fix OUT]（FILE 为 .txt、.md 或 .docx；--fix 把“必须修改”且有唯一正确写法的问题改好后写入 OUT，“建议修改”留给人判断）",
    run: async (args) => {
      const { values, positionals } = parseArgs({ args, options: { json: { type: "boolean" }, fix: { type: "string" } }, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file) throw new UsageError("请指定要校对的文件");
      if (!fs.existsSync(file)) throw new UsageError(`找不到文件：${file}`);
      const text = await readText(file);
      const findings = proofreadText(text);
      if (values.fix) {
        if (path.extname(values.fix).toLowerCase() === ".docx") throw new UsageError("--fix 输出为纯文本，请用 .txt 或 .md 文件名");
        // must-fixes only: a "should" is for a person to decide (a doubled character between two words
        // — 共和国|国民经济 — is right, and --fix deleted one)
        fs.writeFileSync(
          values.fix,
          applyFixes(
            text,
            findings.filter((f) => f.severity === "must"),
          ),
        );
      }
      // exit code 1 with a must-fix finding, also with --json (a CI step reads the code, a script the JSON)
      if (findings.some((f) => f.severity === "must")) process.exitCode = 1;
      if (values.json) {
        console.log(
          JSON.stringify(
            findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, excerpt: f.excerpt, offset: f.offset, suggestion: f.suggestion ?? null })),
            null,
            2,
          ),
        );
        return;
      }
      if (!findings.length) {
        console.log("未发现问题。");
        return;
      }
      for (const f of findings) {
        // Line and column, as an editor shows them.
        const before = text.slice(0, f.offset);
        const line = before.split("\n").length;
        const col = f.offset - before.lastIndexOf("\n");
        console.log(`${line}:${col}\t[${SEVERITY_LABELS[f.severity]}] ${f.rule}\t“${f.excerpt}”${f.suggestion !== undefined ? ` → “${f.suggestion}”` : ""}\t${f.message}`);
      }
      const must = findings.filter((f) => f.severity === "must").length;
      console.log(`\n共 ${findings.length} 处，其中必须修改 ${must} 处。${values.fix ? `已把可自动修正的写入 ${values.fix}。` : ""}`);
    },
  },
};
