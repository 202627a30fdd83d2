/**
 * End-to-end run: build the app, create a fresh PostgreSQL database, start the real server on
 * it with the demo data, run the Playwright specs in Debian's Chromium, then stop and drop.
 * Without Chromium or PostgreSQL: fails under CI, skips with the reason locally.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
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

async function main() {
  if (!fs.existsSync(chromium)) skipOrFail(`找不到 Chromium（${chromium}）；请安装 Debian 的 chromium 软件包`);
  const pgDown = await postgresUnavailable();
  if (pgDown) skipOrFail(pgDown);

  // the production path: build once, then plain node (as `npm start` on a server)
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const db = await createPostgresDatabase();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["build/start.mjs"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: db.url, DEMO_DATA: "1", PORT: String(port), HOST: "127.0.0.1", TRUST_PROXY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log: string[] = [];
  server.stdout!.on("data", (d) => log.push(String(d)));
  server.stderr!.on("data", (d) => log.push(String(d)));
  let code = 1;
  try {
    await waitForServer(baseUrl, server);
    const args = ["playwright", "test", ...process.argv.slice(2)];
    const r = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, E2E_BASE_URL: baseUrl, E2E_DATABASE_URL: db.url } });
    code = r.status ?? 1;
  } catch (e) {
    console.error((e as Error).message);
  } finally {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 500));
    if (code !== 0) console.error("服务器输出：\n" + log.join(""));
    await db.drop();
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
