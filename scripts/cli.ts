/**
 * The product's one CLI for admins and scripts: `npm run cli -- <command> [options]`.
 * Works on whichever database is configured (the embedded one included: it is migrated,
 * and seeded with demo data when that is enabled, like `npm start` does).
 */
import fs from "node:fs";
import { withoutParameters } from "#db/errors";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import "../app/domain/zod-locale";
import { closeDb, DatabaseUnreachableError, DataDirLockedError, getDb } from "../db/client.server";
import { fieldErrors } from "../app/domain/proposal";
import { ROLE_LABELS, ROLES } from "../app/domain/roles";
import { ignoredColumnsNote, readProposalSheetFile, SheetError } from "../app/import/proposal-sheet.server";
import { isUniqueViolation } from "../db/errors";
import { classifyImportRows, IMPORT_SPELLING_CLASH, importProposals } from "../app/models/proposal-import.server";
import { lockRegistrations } from "../app/models/proposal.server";
import { repairReplacementCharacters } from "../app/models/text-repair.server";
import { restoreBackup, RestoreRefusedError, writeBackup } from "../app/models/backup.server";
import { recordAudit } from "../app/models/audit.server";
import { userInputSchema } from "../app/domain/user-input";
import { createUser, UsernameTakenError } from "../app/models/user.server";
import { prepareDatabase } from "../app/setup.server";

import { UsageError, type Command } from "./cli/command";
import { deadlinesCommands } from "./cli/deadlines";
import { statsCommands } from "./cli/stats";
import { proofreadCommands } from "./cli/proofread";
import { lettersCommands } from "./cli/letters";
import { libraryCommands } from "./cli/library";
import { scaleCommands } from "./cli/scale";

const COMMANDS: Record<string, Command> = {
  help: {
    summary: "列出所有命令",
    usage: "help",
    run: async () => printHelp(),
  },
  "user:create": {
    summary: "创建用户（生产安装用它创建第一个管理员）",
    usage: `user:create --username NAME --name 姓名 --role (${ROLES.join("|")}) [--phone 电话] [--email 邮箱] [--password 密码 | 从环境变量 NEW_USER_PASSWORD 读取]`,
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: {
          username: { type: "string" },
          name: { type: "string" },
          role: { type: "string" },
          phone: { type: "string" },
          email: { type: "string" },
          password: { type: "string" },
        },
        strict: true,
      });
      const parsed = userInputSchema.safeParse({
        username: values.username,
        displayName: values.name,
        role: values.role,
        phone: values.phone,
        email: values.email,
        password: values.password ?? process.env.NEW_USER_PASSWORD,
      });
      if (!parsed.success) {
        const errs = fieldErrors(parsed.error);
        throw new UsageError(
          Object.entries(errs)
            .map(([k, m]) => `--${k === "displayName" ? "name" : k}: ${m}`)
            .join("\n"),
        );
      }
      await prepareDatabase({ demo: false });
      const db = await getDb();
      try {
        await db.transaction(async (tx) => {
          await createUser(tx, parsed.data);
          // an account made from the CLI is in the audit log as one made on 用户管理 is
          await recordAudit(tx, { action: "user_created", address: "命令行", target: parsed.data.username, detail: `角色 ${ROLE_LABELS[parsed.data.role]}（user:create）` });
        });
      } catch (e) {
        if (e instanceof UsernameTakenError) throw new UsageError(e.message);
        throw e;
      }
      console.log(`已创建用户 ${parsed.data.username}（${parsed.data.displayName}，${parsed.data.role}）。`);
    },
  },
  "proposals:import": {
    summary: "从交办清单（CSV 或 XLSX）批量登记提案；整份文件要么全部导入，要么不导入",
    usage: "proposals:import FILE [--dry-run]",
    run: async (args) => {
      const { values, positionals } = parseArgs({ args, options: { "dry-run": { type: "boolean" } }, allowPositionals: true, strict: true });
      const file = z.string({ error: "请指定要导入的文件" }).min(1).parse(positionals[0]);
      if (!fs.existsSync(file)) throw new UsageError(`文件不存在：${file}`);
      let sheet: Awaited<ReturnType<typeof readProposalSheetFile>>["rows"];
      try {
        const reading = await readProposalSheetFile(path.basename(file), fs.readFileSync(file));
        sheet = reading.rows;
        const note = ignoredColumnsNote(reading.ignoredColumns);
        if (note) console.warn(note);
      } catch (e) {
        if (e instanceof SheetError) throw new UsageError(e.message);
        throw e;
      }
      await prepareDatabase();
      const db = await getDb();
      const result = await db
        .transaction(async (tx) => {
          await lockRegistrations(tx);
          const rows = await classifyImportRows(tx, sheet);
          const bad = rows.filter((r) => r.status === "error");
          if (bad.length) return { rows, bad };
          if (values["dry-run"]) return { rows, bad, created: 0, skipped: rows.filter((r) => r.status === "existing").length };
          return { rows, bad, ...(await importProposals(tx, { rows, actorId: null })) };
        })
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw new UsageError(IMPORT_SPELLING_CLASH);
          throw e;
        });
      if (result.bad.length) {
        for (const r of result.bad) if (r.status === "error") console.error(`第 ${r.row} 行：${r.errors.join("；")}`);
        throw new UsageError(`有 ${result.bad.length} 行错误，未导入任何提案。`);
      }
      const newCount = result.rows.filter((r) => r.status === "new").length;
      console.log(
        values["dry-run"] ? `检查通过：将新登记 ${newCount} 件，跳过已登记 ${result.skipped} 件（未写入）。` : `已导入 ${result.created} 件，跳过已登记 ${result.skipped} 件。`,
      );
    },
  },
  "db:migrate": {
    summary: "迁移数据库到最新结构（启动时也会自动执行）",
    usage: "db:migrate",
    run: async () => {
      const { handle } = await prepareDatabase({ demo: false });
      console.log(`数据库已是最新结构：${handle.driver}（${handle.where}）。`);
    },
  },
  "db:backup": {
    summary: "备份整个数据库（含上传的原件和段落库文件）到一个文件；系统运行中也可执行，得到一致的快照",
    usage: "db:backup FILE（如 backups/proposals-2026-11-30.prd.gz）",
    run: async (args) => {
      const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file) throw new UsageError("请指定备份文件名，例如：db:backup backups/proposals-2026-11-30.prd.gz");
      // one file: a second word (a name with a space, unquoted) was ignored
      if (positionals.length > 1) throw new UsageError(`多余的参数“${positionals.slice(1).join(" ")}”：只需一个备份文件名（含空格时请加引号）`);
      if (!fs.existsSync(path.dirname(path.resolve(file)))) throw new UsageError(`目录不存在：${path.dirname(path.resolve(file))}`);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${file} 是一个目录：请给出备份文件名，如 ${path.join(file, "proposals.prd.gz")}`);
      await prepareDatabase({ demo: false });
      const db = await getDb();
      const r = await writeBackup(db, file);
      await recordAudit(db, { action: "backup", address: "命令行", target: path.basename(file), detail: `${Object.values(r.tables).reduce((a, b) => a + b, 0)} 行` });
      const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
      console.log(
        `已备份 ${Object.keys(r.tables).length} 张表、${rows} 行到 ${file}（${r.bytes >= 1024 * 1024 ? `${(r.bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(r.bytes / 1024)} KB`}，结构版本 ${r.migration}）。`,
      );
    },
  },
  "db:restore": {
    summary: "从备份文件恢复到空数据库（数据库非空时拒绝，除非加 --replace 先清空）",
    usage: "db:restore FILE [--replace]",
    run: async (args) => {
      const { values, positionals } = parseArgs({ args, options: { replace: { type: "boolean" } }, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file) throw new UsageError("请指定备份文件，例如：db:restore backups/proposals-2026-11-30.prd.gz");
      await prepareDatabase({ demo: false });
      const db = await getDb();
      try {
        const r = await restoreBackup(db, file, { replace: values.replace });
        await recordAudit(db, { action: "restore", address: "命令行", target: path.basename(file), detail: values.replace ? "覆盖原有数据" : null });
        const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
        console.log(`已从 ${file} 恢复 ${rows} 行（备份时的结构版本 ${r.migration}）。`);
        if (r.kept.auditEntries) console.log(`保留了备份之后的 ${r.kept.auditEntries} 条审计日志。`);
        if (r.kept.documentNumbers.length) console.log(`备份之后已使用的文号仍记为已用，不会再次发出：${r.kept.documentNumbers.join("、")}。这些答复函的记录不在备份中，请核对。`);
      } catch (e) {
        if (e instanceof RestoreRefusedError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
  "db:repair-text": {
    summary: "删除答复稿中由页面传输缺陷引入的乱码字符“�”（启动时已自动执行一次；可重复执行）",
    usage: "db:repair-text",
    run: async () => {
      await prepareDatabase();
      const db = await getDb();
      const report = await db.transaction((tx) => repairReplacementCharacters(tx));
      for (const r of report.repaired) console.log(`提案 ${r.proposalId}：删除 ${r.removed} 个“�”。`);
      for (const s of report.signedWithFffd) console.log(`已签发 ${s.documentNumber ?? s.letterId} 含“�”，已定稿，未修改：请发起更正。`);
      console.log(`已修复 ${report.repaired.length} 份答复稿。`);
    },
  },
  "demo:load": {
    summary: "加载演示数据（已加载过则不重复加载）",
    usage: "demo:load",
    run: async () => {
      const { demoLoaded, demoRefused } = await prepareDatabase({ demo: true });
      console.log(demoLoaded ? "已加载演示数据。" : demoRefused ? "数据库中已有提案或非演示账号：未加载演示数据。" : "演示数据此前已加载，未重复加载。");
    },
  },
  ...deadlinesCommands,
  ...libraryCommands,
  ...lettersCommands,
  ...statsCommands,
  ...proofreadCommands,
  ...scaleCommands,
};

function printHelp() {
  console.log("用法：npm run cli -- <命令> [选项]\n\n命令：");
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(20)} ${c.summary}\n  ${" ".repeat(20)} ${c.usage}`);
  console.log("\n数据库：设置 DATABASE_URL 使用 PostgreSQL；否则使用 DATA_DIR（默认 ./data）下的嵌入式数据库。");
}

/** node:util parseArgs's refusals, in the operator's language, with the command's usage. */
function argsProblem(e: { code?: string; message: string }, usage: string): string | null {
  const named = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  const what =
    e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      ? `不认识的选项 ${named}`
      : e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
        ? `多余的参数“${named}”`
        : e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
          ? `选项 ${named.split(" ")[0]} 缺少取值或取值无效`
          : null;
  return what && `${what}。用法：npm run cli -- ${usage}`;
}

async function main() {
  const [name = "help", ...args] = process.argv.slice(2);
  const command = COMMANDS[name];
  if (!command) {
    printHelp();
    throw new UsageError(`未知命令：${name}`);
  }
  await command.run(args).catch((e: unknown) => {
    const problem = e instanceof Error ? argsProblem(e as Error & { code?: string }, command.usage) : null;
    throw problem ? new UsageError(problem) : e;
  });
}

main()
  .then(() => closeDb())
  .catch(async (caught) => {
    const e = withoutParameters(caught) as Error;
    if (
      e instanceof UsageError ||
      e instanceof DataDirLockedError ||
      e instanceof DatabaseUnreachableError ||
      e instanceof z.ZodError ||
      (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`错误：${e instanceof z.ZodError ? e.issues.map((i) => i.message).join("；") : e.message}`);
    } else if (e instanceof Error && !process.env.DEBUG) {
      // an operator's mistake (a bad variable, a truncated archive, a refused restore) reads as a sentence; DEBUG=1 shows the stack
      const code = (e as { code?: string }).code;
      console.error(`错误：${e.message}${code ? `（${code}）` : ""}
（设置 DEBUG=1 可查看详细调用栈）`);
    } else {
      console.error(e);
    }
    await closeDb().catch(() => {});
    process.exit(1);
  });
