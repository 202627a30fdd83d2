/**
 * The text of an uploaded original (PDF or DOCX), as similar-reply ranking reads it: letter 108
 * rendered to DOCX by the app and to PDF by LibreOffice, then read back by the app's extractor.
 * Without soffice the PDF half is skipped with a warning — except under CI, where it fails.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderLetterDocx } from "~/letters/docx.server";
import { extractAttachmentText } from "~/models/attachment-text.server";
import { hasTool, seedLetter } from "./helpers";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const noSoffice = !hasTool("soffice");
if (noSoffice && !process.env.CI) console.warn("[letters/attachment-text] PDF skipped: soffice is not installed");

describe("text of an uploaded original", () => {
  it("reads a DOCX and the PDF LibreOffice makes of it, Chinese intact", async () => {
    const docx = await renderLetterDocx(seedLetter("108"));
    const fromDocx = await extractAttachmentText({ mediaType: DOCX, content: docx });
    expect(fromDocx).toContain("一、完善顶层设计。制定出台《东莞市建设广东省制造业供给侧结构性改革创新实验区实施方案》");
    if (noSoffice && !process.env.CI) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-attach-"));
    fs.writeFileSync(path.join(dir, "108.docx"), docx);
    const r = spawnSync("soffice", ["--headless", "--convert-to", "pdf", "--outdir", dir, path.join(dir, "108.docx")], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const fromPdf = await extractAttachmentText({ mediaType: "application/pdf", content: fs.readFileSync(path.join(dir, "108.pdf")) });
    // PDF text comes line by line: compare without line breaks and spaces.
    expect(fromPdf!.replace(/\s+/g, "")).toContain("完善顶层设计。制定出台《东莞市建设广东省制造业供给侧结构性改革创新实验区实施方案》");
  });

  it("has no text for an image or a broken file, and never throws", async () => {
    expect(await extractAttachmentText({ mediaType: "image/png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })).toBeNull();
    expect(await extractAttachmentText({ mediaType: "application/pdf", content: Buffer.from("%PDF-1.4 broken") })).toBeNull();
    expect(await extractAttachmentText({ mediaType: DOCX, content: Buffer.from("not a zip") })).toBeNull();
  });
});
