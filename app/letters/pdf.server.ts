/**
 * A letter as PDF, for the public site: the DOCX rendered by LibreOffice (soffice --headless)
 * where it is installed. One conversion at a time (soffice is heavy), each with its own profile
 * directory, and the last few results kept in memory by content hash.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

let available: boolean | undefined;
export function pdfAvailable(): boolean {
  available ??= spawnSync("sh", ["-c", "command -v soffice"], { stdio: "ignore" }).status === 0;
  return available;
}

const cache = new Map<string, Buffer>();
const CACHE_SIZE = 16;
let queue: Promise<unknown> = Promise.resolve();

export class PdfUnavailableError extends Error {
  constructor() {
    super("本服务器未安装 LibreOffice，暂不提供 PDF 版本；请下载 Word 文件。");
  }
}

export async function docxToPdf(docx: Buffer): Promise<Buffer> {
  if (!pdfAvailable()) throw new PdfUnavailableError();
  const key = createHash("sha256").update(docx).digest("hex");
  const hit = cache.get(key);
  if (hit) return hit;
  const run = queue.then(() => convert(docx));
  queue = run.catch(() => {});
  const pdf = await run;
  cache.set(key, pdf);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return pdf;
}

async function convert(docx: Buffer): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-pdf-"));
  try {
    fs.writeFileSync(path.join(dir, "letter.docx"), docx);
    await new Promise<void>((resolve, reject) => {
      const child = spawn("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, path.join(dir, "letter.docx")], {
        stdio: "ignore",
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`LibreOffice 转换失败（退出码 ${code}）`));
      });
    });
    return fs.readFileSync(path.join(dir, "letter.pdf"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
