/**
 * The server process: open and migrate the database, load the demo data once, serve on PORT
 * (default 3000) and print the sign-ins. In production this file runs compiled
 * (build/start.mjs, see scripts/build.mjs and scripts/start.mjs); `npm run dev` runs it through
 * tsx and rebuilds the Remix app first when the sources are newer than the build.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { closeDb } from "../db/client.server";
import "../app/domain/zod-locale";
import { readConfig } from "../app/config.server";
import { loadTemplates } from "../app/models/letter-templates.server";
import { readDemoUsers } from "../app/models/demo-data.server";
import { countUsers } from "../app/models/user.server";
import { today } from "../app/models/deadline.server";
import { deliverPendingEmails } from "../app/models/notification.server";
import { createDeadlineReminders } from "../app/models/reminders.server";
import { housekeeping } from "../app/jobs/housekeeping.server";
import { prepareDatabase } from "../app/setup.server";
import { startJobs } from "../app/jobs/queue.server";
import { runExportJob } from "../app/letters/export-jobs.server";
import { BUILD_PATH, createServer } from "./server";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const sources = Math.max(newestMtime("app"), newestMtime("db"), fs.statSync("remix.config.js").mtimeMs, fs.statSync("tailwind.config.ts").mtimeMs);
  if (fs.existsSync(BUILD_PATH) && fs.statSync(BUILD_PATH).mtimeMs >= sources) return;
  console.log("正在构建应用（remix build）…");
  const r = spawnSync("npx", ["remix", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) {
    console.error("构建失败。");
    process.exit(r.status ?? 1);
  }
}

async function main() {
  process.env.NODE_ENV ??= "production";
  const config = readConfig();
  // an unknown template id fell back to the default letterhead without a word
  if (config.LETTER_TEMPLATE && !loadTemplates().has(config.LETTER_TEMPLATE))
    throw new Error(`环境变量无效：\n  LETTER_TEMPLATE: 没有 id 为“${config.LETTER_TEMPLATE}”的公文模板（templates/ 下有：${[...loadTemplates().keys()].join("、")}）`);
  const compiled = import.meta.url.endsWith("/build/start.mjs");
  if (!compiled && !process.argv.includes("--no-build")) buildIfNeeded();
  const { handle, demo, demoRefused } = await prepareDatabase();
  // Background jobs in the database (pg-boss): due-soon and overdue notices hourly and at
  // start, batch exports, their cleanup — each run once across all instances.
  const jobs = await startJobs(handle, {
    reminders: async () => {
      await createDeadlineReminders(handle.db, today());
      await deliverPendingEmails(handle.db);
    },
    lettersExport: (id) => runExportJob(handle.db, id),
    // The 15-minute housekeeping (app/jobs/housekeeping.server.ts).
    exportCleanup: () => housekeeping(handle.db),
  });
  // said at start: an install with no account is told how to make the first one (not one that has them)
  const accounts = await countUsers(handle.db);
  const app = await createServer(config);
  const server = app.listen(config.PORT, config.HOST, () => {
    const url = `http://localhost:${config.PORT}`;
    console.log(`\n提案答复系统已启动：${url}`);
    console.log(`数据库：${handle.driver === "pglite" ? "嵌入式 PGlite" : "PostgreSQL"}（${handle.where}）`);
    // The sign-in cookie goes over HTTPS only in production: browsed as http://<server>:port it is
    // dropped and sign-in "succeeds" back to the sign-in form, with no message. Said at start.
    const loopback = ["127.0.0.1", "::1", "localhost"].includes(config.HOST);
    if (process.env.NODE_ENV === "production" && !config.INSECURE_COOKIES && !config.TRUST_PROXY && !loopback && !config.PUBLIC_URL?.startsWith("https:"))
      console.warn(
        "\n注意：登录 Cookie 只经 HTTPS 发送。用户若以 http://本机地址 直接访问（前面没有 HTTPS 反向代理），浏览器不会保存登录状态。" +
          "\n请在 HTTPS 反向代理之后运行并设置 TRUST_PROXY=1（及 PUBLIC_URL=https://…）；仅在可信内网确需 HTTP 时设置 INSECURE_COOKIES=1。",
      );
    // (accounts listed only where they exist: not when the demo data was refused for real data)
    if (demo && !demoRefused) {
      const { password, users } = readDemoUsers();
      console.log(`\n演示账号（密码均为 ${password}）：`);
      for (const u of users) console.log(`  ${u.username.padEnd(12)} ${u.displayName}（${u.role}）`);
    } else if (accounts === 0) {
      console.log("未加载演示数据，还没有任何账号。创建第一个管理员账号：npm run cli -- user:create --username … --name … --role admin");
    } else {
      console.log(`未加载演示数据（已有 ${accounts} 个账号）。`);
    }
  });
  // A port taken or an address not of this machine: said naming the setting, not a stack trace
  server.on("error", (e: NodeJS.ErrnoException) => {
    const why =
      e.code === "EADDRINUSE"
        ? `端口 ${config.PORT} 已被占用（PORT）：请换一个端口，或先停止占用它的程序。`
        : e.code === "EACCES"
          ? `没有权限监听端口 ${config.PORT}（PORT）：1024 以下的端口需要管理员权限，请换一个端口。`
          : e.code === "ENOTFOUND" || e.code === "EADDRNOTAVAIL"
            ? `HOST=${config.HOST} 不是本机可以监听的地址：请改为 0.0.0.0（所有网卡）、127.0.0.1（仅本机）或本机的一个 IP。`
            : `无法在 ${config.HOST}:${config.PORT} 上启动服务：${e.message}`;
    console.error(why);
    process.exit(1);
  });
  // On SIGTERM (a deploy): no new connections; requests in flight (a streamed export, a print)
  // get up to 30 s to finish before the jobs stop and the database closes — they used to lose
  // their database within a second and leave partial files behind.
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // no more jobs for this instance from now (another takes them), the running ones finish
    jobs.quiesce().catch(() => {});
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = new Promise<void>((resolve) =>
      setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, 30_000).unref(),
    );
    Promise.race([drained, grace])
      .then(() => jobs.stop())
      .catch(() => {})
      .then(() => closeDb())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
