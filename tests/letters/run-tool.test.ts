/** The print pipeline's tool runner: a tool that hangs is killed with everything it started, and the run ends. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { runTool } from "~/letters/print.server";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("a run past its time ends with the reason, and the process it started (as soffice starts soffice.bin) is killed too", async () => {
  const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "prd-run-")), "pid");
  // The shell starts a child that keeps the output pipes open, as soffice.bin does for oosplash.
  const started = Date.now();
  await expect(runTool("sh", ["-c", `sleep 60 & echo $! > ${pidFile}; wait`], {}, 500)).rejects.toThrow("sh 超过 1 秒未完成，已终止");
  expect(Date.now() - started).toBeLessThan(10_000);
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
});

it("a run that finishes gives its output; a failing one its exit code and message", async () => {
  expect(await runTool("sh", ["-c", "printf 页数"])).toBe("页数");
  await expect(runTool("sh", ["-c", "echo 出错了 >&2; exit 3"])).rejects.toThrow("sh 失败（退出码 3）：出错了");
});
