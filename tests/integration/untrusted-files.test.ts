/**
 * Crafted uploads that ran the server out of memory — the whole process, every user — are now
 * read in a worker with a memory ceiling: the file is refused with a reason, and the next one is read.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { readProposalSheet, SheetError } from "~/import/proposal-sheet.server";
import { extractAttachmentText } from "~/models/attachment-text.server";
import { analyseImportText } from "~/domain/import-analysis";
import { analyseLibraryText, LibraryImportError, readLibrarySource } from "~/models/library-import.server";
import { readUntrusted, UnreadableFileError } from "~/untrusted/untrusted-files.server";

const HEADER = ["会议", "提案号", "案由", "提案者", "办理方式", "交办日期"];

async function workbook(fill: (ws: ExcelJS.Worksheet) => void) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("交办清单");
  ws.addRow(HEADER);
  fill(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A .docx whose document.xml holds `paragraphs` empty paragraphs: small zipped, huge inflated. */
async function docxOf(paragraphs: number) {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    "_rels/.rels",
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    "word/document.xml",
    `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${"<w:p><w:r><w:t>a</w:t></w:r></w:p>".repeat(paragraphs)}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/**
 * A .docx whose one run of text is `letters` letters long: ~1 KB zipped per million. Written by hand
 * (deflated by zlib in one go): JSZip's own deflate takes seconds per hundred megabytes.
 */
function docxOfOneRun(letters: number): Buffer {
  const entries: [string, Buffer][] = [
    [
      "[Content_Types].xml",
      Buffer.from(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    ],
    [
      "_rels/.rels",
      Buffer.from(
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    ],
    [
      "word/document.xml",
      Buffer.concat([
        Buffer.from('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'),
        Buffer.alloc(letters, "A"),
        Buffer.from("</w:t></w:r></w:p></w:body></w:document>"),
      ]),
    ],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const packed = zlib.deflateRawSync(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt32LE(zlib.crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(Buffer.byteLength(name), 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    head.copy(central, 8, 6, 30); // flags … name length, as in the local header
    central.writeUInt32LE(offset, 42);
    locals.push(head, Buffer.from(name), packed);
    centrals.push(central, Buffer.from(name));
    offset += 30 + Buffer.byteLength(name) + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe("files read within limits", () => {
  it("a 2 KB workbook with one cell at row 1,048,576 is refused with a reason; the next sheet is read as usual", { timeout: 120_000 }, async () => {
    const bomb = await workbook((ws) => {
      ws.getCell("A1048576").value = "x";
    });
    expect(bomb.length).toBeLessThan(10_000);
    await expect(readProposalSheet("crafted.xlsx", bomb)).rejects.toThrow(/无法读取该 XLSX 文件：文件内容过于庞大或结构异常/);
    await expect(readProposalSheet("crafted.xlsx", bomb)).rejects.toBeInstanceOf(SheetError);
    const fine = await workbook((ws) => {
      ws.addRow(["东莞市政协第十三届六次会议", "10121", "关于某事的建议", "张三", "主办", "2021-03-22"]);
    });
    expect(await readProposalSheet("交办清单.xlsx", fine)).toHaveLength(1);
  });

  it("a Word file that inflates past what a file may cost: the library import says so, an original's text is simply absent", { timeout: 120_000 }, async () => {
    const huge = await docxOf(1_000_000);
    expect(huge.length).toBeLessThan(2_000_000);
    const refused = await readLibrarySource({ fileName: "巨大.docx", content: huge }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LibraryImportError);
    expect((refused as LibraryImportError).messages).toEqual(["文件内容过于庞大或结构异常，无法读取。"]);
    expect(await extractAttachmentText({ mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", content: huge })).toBeNull();
    // an ordinary one right after
    expect((await readLibrarySource({ fileName: "小.docx", content: await docxOf(3) })).text).toContain("a");
  });

  it("a 400 KB Word file whose one run of text inflates to 400 million letters: refused, the server goes on (it ended the whole process)", { timeout: 120_000 }, async () => {
    const run = docxOfOneRun(400_000_000);
    expect(run.length).toBeLessThan(1_000_000);
    const refused = await readLibrarySource({ fileName: "一段.docx", content: run }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LibraryImportError);
    expect((refused as LibraryImportError).messages).toEqual(["文件内容过于庞大或结构异常，无法读取。"]);
    // one that the reader gets through: its text stops at the import's limit and is refused for its length
    const long = await readLibrarySource({ fileName: "长.docx", content: docxOfOneRun(5_000_000) }).catch((e: unknown) => e);
    expect((long as LibraryImportError).messages).toEqual(["文件过大（超过 2000000 字），上限为 2000000 字，请拆分后分别导入。"]);
    // as an original: its text for finding similar replies is its beginning
    const original = await extractAttachmentText({ mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", content: docxOfOneRun(5_000_000) });
    expect(original).toBe("A".repeat(100_000));
    expect((await readLibrarySource({ fileName: "小.docx", content: docxOfOneRun(10) })).text).toContain("AAAAAAAAAA");
  });

  it("a file past its time is refused, and the file queued right behind it is read by a new worker (not refused with it)", { timeout: 120_000 }, async () => {
    const slow = readUntrusted({ kind: "docx-text", bytes: new Uint8Array(await docxOf(1_000_000)), maxChars: 1_000_000 }, { timeoutMs: 200 });
    const next = readUntrusted({ kind: "docx-text", bytes: new Uint8Array(await docxOf(2)), maxChars: 1_000_000 });
    await expect(slow).rejects.toThrow(new UnreadableFileError("文件读取超过 1 秒未完成，无法读取。", true));
    expect(await next).toMatchObject({ text: expect.stringContaining("a") });
  });

  it("a large text to import is checked and split off the server's thread: other requests go on meanwhile, and the plan is the one made in-thread", {
    timeout: 120_000,
  }, async () => {
    // 40,000 short paragraphs (~600,000 characters): about 2 s of checks and splitting, which on
    // the server's own thread held every other request that long.
    const text = Array.from({ length: 40_000 }, (_, i) => `第${i}项：推动制造业数字化转型。`).join("\n\n");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      ticks = 0;
      const source = await readLibrarySource({ fileName: "长.txt", content: Buffer.from(text) });
      expect(ticks, "the event loop turned while the text was checked").toBeGreaterThan(0);
      ticks = 0;
      const analysis = await analyseLibraryText({ text: source.text, kind: "auto", fileName: source.fileName, maxCandidates: 50_000 });
      expect(ticks, "the event loop turned while the text was split").toBeGreaterThan(0);
      expect(analysis).toEqual(analyseImportText({ text, kind: "auto", fileName: "长.txt", maxCandidates: 50_000 }));
      expect("candidates" in analysis && analysis.candidates).toHaveLength(40_000);
      // past the plan's limit only the count comes back, to be refused with it
      expect(await analyseLibraryText({ text, kind: "policy", fileName: "长.txt" })).toEqual({ tooMany: 40_000 });
    } finally {
      clearInterval(ticker);
    }
  });
});
