/**
 * End-to-end run: build the app, create fresh PostgreSQL databases, start the real server on each
 * with the demo data (one per Playwright worker: E2E_WORKERS, by default one per two cores), run the Playwright
 * specs in Debian's Chromium, then stop and drop.
 * Without Chromium or PostgreSQL: fails under CI, skips with the reason locally.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { availableParallelism } from "node:os";
import { createPostgresDatabase, postgresUnavailable } from "../support/databases";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function skipOrFail(why: string): never {
  if (process.env.CI) {
    console.error(`端到端测试无法运行：${why}`);
    process.exit(1);
  }
  console.warn(`[skip] 端到端测试已跳过：${why}`);
  process.exit(0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitForServer(url: string, child: ReturnType<typeof spawn>, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`服务器已退出（代码 ${child.exitCode}）`);
    try {
      const r = await fetch(url + "/login");
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("服务器未能在 60 秒内启动");
}

async function startServer() {
  const db = await createPostgresDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, ["build/start.mjs"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: db.url, DEMO_DATA: "1", PORT: String(port), HOST: "127.0.0.1", TRUST_PROXY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log: string[] = [];
  child.stdout!.on("data", (d) => log.push(String(d)));
  child.stderr!.on("data", (d) => log.push(String(d)));
  return { db, baseUrl: `http://127.0.0.1:${port}`, child, log };
}

async function main() {
  if (!fs.existsSync(chromium)) skipOrFail(`找不到 Chromium（${chromium}）；请安装 Debian 的 chromium 软件包`);
  const pgDown = await postgresUnavailable();
  if (pgDown) skipOrFail(pgDown);

  // the production path: build once, then plain node (as `npm start` on a server)
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(build.status ?? 1);

  // One server, on a database of its own, per Playwright worker: spec files running at once never
  // share data (each file runs whole in one worker, in order, as it would alone). One worker per two
  // cores: the run is bound by the CPU (server, PostgreSQL, Chromium, LibreOffice all on it) — on a
  // 2-core machine two workers took 12.4 min against 13.0 for one, and a test ran past its timeout.
  const workers = Math.max(1, Math.min(4, Number(process.env.E2E_WORKERS) || Math.floor(availableParallelism() / 2)));
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  let code = 1;
  try {
    // (all started before any failure is thrown: none is left running, no database left behind)
    const started = await Promise.allSettled(Array.from({ length: workers }, () => startServer()));
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    await Promise.all(servers.map((s) => waitForServer(s.baseUrl, s.child)));
    const args = ["playwright", "test", `--workers=${workers}`, ...process.argv.slice(2)];
    const r = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, E2E_BASE_URLS: servers.map((s) => s.baseUrl).join(",") } });
    code = r.status ?? 1;
  } catch (e) {
    console.error((e as Error).message);
  } finally {
    for (const s of servers) {
      try {
        process.kill(-s.child.pid!, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    if (code !== 0) for (const s of servers) console.error(`服务器 ${s.baseUrl} 输出：\n${s.log.join("")}`);
    await Promise.all(servers.map((s) => s.db.drop()));
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
