import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { DbHandle } from "#db/client.server";
import { ignoredColumnsNote, proposalSheetTemplate, readProposalSheet, readProposalSheetFile, SheetError } from "~/import/proposal-sheet.server";
import { DuplicateProposalError, getProposal, listProposals, registerProposal } from "~/models/proposal.server";
import { classifyImportRows, importProposals } from "~/models/proposal-import.server";
import { lockRegistrations } from "~/models/proposal.server";
import { proposalInputSchema } from "~/domain/proposal";
import { draftToLetterInput, emptyDraft } from "~/domain/draft";
import { tryBuildLetter } from "~/domain/letter";
import { proposalFacts, templateFor } from "~/models/letter-templates.server";
import { addDays } from "~/domain/calendar";
import { FUTURE_ASSIGNMENT_HORIZON_DAYS } from "~/domain/proposal";
import { today } from "~/models/deadline.server";
import { listEvents } from "~/models/event.server";
import { availableDatabases } from "../support/databases";

const HEADER = "会议,提案号,案由,提案者,办理方式,交办日期";
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join("\n"), "utf8");
const MEETING = "东莞市政协第十三届六次会议";

async function xlsx(rows: (string | Date)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("交办清单");
  ws.addRow(HEADER.split(","));
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("reading the batch spreadsheet", () => {
  it("a title row above the header is passed over; a row number is the spreadsheet's, empty rows counted", async () => {
    const withTitle = Buffer.from(
      ["十三届六次会议提案交办清单,,,,,", HEADER, `${MEETING},7,关于己的建议,张三,主办,2021-03-22`, ",,,,,", "", `${MEETING},8,关于庚的建议,张三,主办,不是日期`].join("\n"),
      "utf8",
    );
    const rows = await readProposalSheet("batch.csv", withTitle);
    expect(rows.map((r) => r.row)).toEqual([3, 6]);
    expect(rows[1]).toMatchObject({ row: 6, errors: [expect.stringContaining("日期")] });
  });

  it("the downloadable template is what the importer reads; its example row, left in above the clerk's rows, is not imported (it was registered as 第20260001号)", async () => {
    const template = await proposalSheetTemplate();
    await expect(readProposalSheet("提案交办清单模板.xlsx", template)).rejects.toThrow("文件中只有模板的示例行：请删除示例行，填写要导入的提案后再上传。");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    wb.getWorksheet("交办清单")!.addRow(["东莞市政协第十四届五次会议", "39001", "关于示例行以下第一件的建议", "王五", "主办", "2026-03-20", "2026-03-21", "", ""]);
    const reading = await readProposalSheetFile("填好的清单.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect(reading.exampleRows).toEqual([2]);
    expect(reading.rows).toHaveLength(1);
    expect(reading.rows[0]).toMatchObject({
      row: 3,
      input: {
        meeting: "东莞市政协第十四届五次会议",
        number: "39001",
        title: "关于示例行以下第一件的建议",
        bureauRole: "lead",
        assignedOn: "2026-03-20",
        receivedOn: "2026-03-21",
      },
    });
  });

  it("names the filled columns it does not import (unknown, repeated, without a header); empty ones and the columns it reads are not named", async () => {
    const file = Buffer.from(
      [`序号,${HEADER},备注,联系电话,备注,空列`, `1,${MEETING},7,关于己的建议,张三,主办,2021-03-22,已电话联系,13800000000,第二个备注,,额外`].join("\n"),
      "utf8",
    );
    const reading = await readProposalSheetFile("batch.csv", file);
    expect(reading.rows[0]).toMatchObject({ input: { number: "7", notes: "已电话联系" } });
    expect(reading.ignoredColumns).toEqual(["序号", "联系电话", "备注（第 10 列，与前面的列重名）", "第 12 列（无表头）"]);
    expect(ignoredColumnsNote(reading.ignoredColumns)).toBe(
      "以下列不在导入范围内，其内容不会导入：序号、联系电话、备注（第 10 列，与前面的列重名）、第 12 列（无表头）。需要保留的内容请写入“备注”列。",
    );
    expect((await readProposalSheetFile("batch.csv", csv(`${MEETING},7,关于己的建议,张三,主办,2021-03-22`))).ignoredColumns).toEqual([]);
    // a row with a run of empty cells (stray commas) names nothing; many filled columns are named ten at a time
    expect((await readProposalSheetFile("batch.csv", csv(`${MEETING},7,关于己的建议,张三,主办,2021-03-22${",".repeat(5000)}`))).ignoredColumns).toEqual([]);
    const wide = await readProposalSheetFile("batch.csv", csv(`${MEETING},7,关于己的建议,张三,主办,2021-03-22${",x".repeat(12)}`));
    expect(ignoredColumnsNote(wide.ignoredColumns)).toBe(
      `以下列不在导入范围内，其内容不会导入：${Array.from({ length: 10 }, (_, k) => `第 ${k + 7} 列（无表头）`).join("、")} 等 12 列。需要保留的内容请写入“备注”列。`,
    );
  });

  it("reads CSV rows into proposals, splitting co-signers and mapping 主办/会办/分办", async () => {
    const rows = await readProposalSheet(
      "a.csv",
      Buffer.from(
        [
          `${HEADER},主办单位`,
          `${MEETING},第10121号,《关于打造世界级智能终端产业基地的建议》,民建市委会,主办,2021/3/22,`,
          `${MEETING},20210100,关于加快构建莞深协同发展共同体的建议,"张三、李四委员",会办,2021年3月22日,市发展和改革局`,
        ].join("\n"),
        "utf8",
      ),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      row: 2,
      input: { number: "10121", title: "关于打造世界级智能终端产业基地的建议", bureauRole: "lead", assignedOn: "2021-03-22", proposers: [{ kind: "body", name: "民建市委会" }] },
    });
    expect(rows[1]).toMatchObject({
      input: {
        bureauRole: "co",
        proposers: [
          { kind: "member", name: "张三" },
          { kind: "member", name: "李四" },
        ],
      },
    });
  });

  it("reads a GBK-encoded CSV as Excel on a Chinese Windows saves it", async () => {
    const { execFileSync } = await import("node:child_process");
    const text = `${HEADER}\n${MEETING},1,关于专精特新的建议,民建市委会,主办,2021-03-22\n`;
    const bytes = execFileSync("iconv", ["-f", "UTF-8", "-t", "GBK"], { input: text });
    const rows = await readProposalSheet("gbk.csv", bytes);
    expect(rows[0]).toMatchObject({ input: { meeting: MEETING, title: "关于专精特新的建议" } });
  });

  it("reads XLSX, including real date cells", async () => {
    const rows = await readProposalSheet("a.xlsx", await xlsx([[MEETING, "10121", "关于某事的建议", "殷毓德委员", "分办", new Date(Date.UTC(2021, 2, 22))]]));
    expect(rows[0]).toMatchObject({ input: { assignedOn: "2021-03-22", bureauRole: "split", proposers: [{ kind: "member", name: "殷毓德" }] } });
  });

  it("协办 is read as 会办, and its row's missing 主办单位 says so", async () => {
    const rows = await readProposalSheet("x.csv", csv(`${MEETING},7,关于某事的建议,张三,协办,2021-03-22`));
    expect(rows[0]).toMatchObject({ errors: [expect.stringContaining("办理方式“协办”按会办处理，会办提案须填写主办单位")] });
  });

  it("a 提案号 Excel turned into a date (typed 3-12) is that row's error, not the number 2026-03-12", async () => {
    const rows = await readProposalSheet(
      "a.xlsx",
      await xlsx([
        [MEETING, new Date(Date.UTC(2026, 2, 12)), "关于某事的建议", "殷毓德委员", "分办", new Date(Date.UTC(2026, 2, 22))],
        [MEETING, "3-13", "关于另一事的建议", "殷毓德委员", "分办", new Date(Date.UTC(2026, 2, 22))],
      ]),
    );
    expect(rows[0]).toMatchObject({ row: 2, errors: [expect.stringContaining("提案号：该单元格被 Excel 识别为日期（2026-03-12）")] });
    expect(rows[0]).not.toHaveProperty("input");
    // typed as text, the same kind of number is read as it is
    expect(rows[1]).toMatchObject({ input: { number: "3-13", assignedOn: "2026-03-22" } });
  });

  it("a date-formatted cell holding a number no calendar reaches is that row's error, not a failed upload", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("提案");
    ws.addRow(HEADER.split(","));
    const row = ws.addRow([MEETING, "10122", "关于某事的建议", "张三", "主办", 1e9]);
    row.getCell(6).numFmt = "yyyy-mm-dd";
    const rows = await readProposalSheet("a.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect("errors" in rows[0]! && rows[0].errors.join("；")).toMatch(/交办日期：/);
  });

  it("a 提案号 shown zero-padded (Excel's 0000 format: 12 stored, 0012 shown) is read as shown", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("提案");
    ws.addRow(HEADER.split(","));
    const row = ws.addRow([MEETING, 12, "关于某事的建议", "张三", "主办", "2021-03-22"]);
    row.getCell(2).numFmt = "0000";
    ws.addRow([MEETING, 13, "关于另一事的建议", "李四", "主办", "2021-03-22"]);
    const rows = await readProposalSheet("a.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => "input" in r && r.input.number)).toEqual(["0012", "13"]);
  });

  it("a hyperlinked cell with formatted text is read as its text (it became '[object Object]')", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("提案");
    ws.addRow(HEADER.split(","));
    const row = ws.addRow([MEETING, "10123", "", "张三", "主办", "2021-03-22"]);
    row.getCell(3).value = {
      text: { richText: [{ text: "关于" }, { font: { bold: true }, text: "某事" }, { text: "的建议" }] },
      hyperlink: "http://example.org/a",
    } as unknown as ExcelJS.CellValue;
    const rows = await readProposalSheet("a.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows[0]).toMatchObject({ input: { title: "关于某事的建议" } });
  });

  it("a date in one of Excel's built-in Chinese formats (2026年3月20日, numFmtId 31: not in the workbook's format list) is read as that date", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("提案");
    ws.addRow([...HEADER.split(","), "收到日期"]);
    const row = ws.addRow([MEETING, "10124", "关于某事的建议", "张三", "主办", new Date(Date.UTC(2026, 2, 20)), new Date(Date.UTC(2026, 2, 21))]);
    row.getCell(6).numFmt = 'yyyy"年"m"月"d"日"';
    row.getCell(7).numFmt = 'yyyy"年"m"月"d"日"';
    // as Excel zh-CN saves it: the cell's style names built-in format 31, and no <numFmt> entry says what 31 is
    const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const styles = await zip.file("xl/styles.xml")!.async("string");
    zip.file("xl/styles.xml", styles.replace(/<numFmts[^>]*>.*?<\/numFmts>/s, "").replace(/numFmtId="164"/g, 'numFmtId="31"'));
    const rows = await readProposalSheet("a.xlsx", Buffer.from(await zip.generateAsync({ type: "uint8array" })));
    expect(rows[0]).toMatchObject({ input: { assignedOn: "2026-03-20", receivedOn: "2026-03-21" } });
  });

  it('a CSV cell with a stray quote ("重点"督办) refuses the file, naming the row: it would take every later row into that cell', async () => {
    const sheet = csv(`${MEETING},1,关于甲的建议,张三,主办,2021-03-22`, `${MEETING},2,关于乙的建议,李四,主办,"重点"督办`, `${MEETING},3,关于丙的建议,王五,主办,2021-03-22`);
    await expect(readProposalSheet("q.csv", sheet)).rejects.toThrow(/CSV 第 3 行附近的引号不成对/);
    // closed by a quote in a later row: the rows between are taken all the same
    const closedLater = csv(`${MEETING},1,关于甲的建议,张三,主办,"重点"督办`, `${MEETING},2,关于乙的建议,李四,主办,2021-03-22`, `${MEETING},3,关于"丙"的建议,王五,主办,2021-03-22`);
    await expect(readProposalSheet("q.csv", closedLater)).rejects.toThrow(/CSV 第 2 行附近的引号不成对/);
    // a quote inside a cell that does not open with one is text, a quoted cell may hold "", and a
    // stray quote recovered within its row is text too
    const fine = await readProposalSheet(
      "q.csv",
      csv(
        `${MEETING},4,关于"专精特新"的建议,张三,主办,2021-03-22`,
        `${MEETING},5,"关于""小巨人""的建议",李四,主办,2021-03-22`,
        `${MEETING},6,"关于"A"的建议",王五,主办,2021-03-22`,
      ),
    );
    expect(fine.map((r) => "input" in r && r.input.title)).toEqual(['关于"专精特新"的建议', '关于"小巨人"的建议', '关于"A"的建议']);
  });

  it("a CSV of millions of empty lines or cells is refused before it is parsed (it ran the server out of memory)", async () => {
    await expect(readProposalSheet("n.csv", Buffer.alloc(5_000_000, "\n"))).rejects.toThrow("一次最多导入 5000 行提案");
    // lone CRs (old Mac line ends) are lines to the parser too
    await expect(readProposalSheet("r.csv", Buffer.alloc(5_000_000, "\r"))).rejects.toThrow("一次最多导入 5000 行提案");
    await expect(readProposalSheet("c.csv", Buffer.from(`${HEADER}${",".repeat(600_000)}\n`))).rejects.toThrow("单元格过多");
  });

  it("a UTF-8 CSV with one stray byte is refused naming that line, not as a file whose header is missing", async () => {
    const good = Buffer.from(`${HEADER}\n${MEETING},1,关于甲的建议,张三,主办,2021-03-22\n${MEETING},2,关于乙的建议,李四,主办,2021-03-22\n`, "utf8");
    const bad = Buffer.concat([good, Buffer.from(`${MEETING},3,关于Caf`, "utf8"), Buffer.from([0xe9]), Buffer.from("的建议,王五,主办,2021-03-22\n", "utf8")]);
    await expect(readProposalSheet("u.csv", bad)).rejects.toThrow("文件第 4 行有无法识别的字符");
  });

  it("reports each bad row with the reason in Chinese", async () => {
    const rows = await readProposalSheet("a.csv", csv(`${MEETING},,关于某事的建议,张三,主办,2021-03-22`, `${MEETING},12,关于某事的建议,张三,牵头,2021-02-30`));
    expect(rows[0]).toMatchObject({ row: 2, errors: ["提案号：请填写提案号"] });
    expect("errors" in rows[1] && rows[1].errors.join("；")).toMatch(/办理方式.*交办日期：不是有效的日期/);
  });

  it("names an optional column by its header too (主办单位, not the field's code name)", async () => {
    const sheet = Buffer.from([`${HEADER},主办单位`, `${MEETING},13,关于某事的建议,张三,会办,2021-03-22,${"某".repeat(101)}`].join("\n"), "utf8");
    const rows = await readProposalSheet("a.csv", sheet);
    expect(rows[0]).toMatchObject({ row: 2, errors: ["主办单位：主办单位名称过长"] });
  });

  it("refuses a 会办 row without its 主办单位: the opinion would have nowhere to go", async () => {
    const rows = await readProposalSheet("c.csv", csv(`${MEETING},14,关于某事的建议,张三,会办,2021-03-22`));
    expect(rows[0]).toMatchObject({ row: 2, errors: ["主办单位：会办提案须填写主办单位（会办意见送往的单位）"] });
  });

  it("refuses files that are not the expected sheet", async () => {
    await expect(readProposalSheet("a.csv", Buffer.alloc(0))).rejects.toThrow("文件是空的");
    await expect(readProposalSheet("a.csv", Buffer.from("标题,日期\n1,2"))).rejects.toThrow(/表头缺少列：会议、提案号、案由、提案者、办理方式、交办日期/);
    await expect(readProposalSheet("a.xlsx", Buffer.from("not a workbook"))).rejects.toBeInstanceOf(SheetError);
    await expect(readProposalSheet("a.csv", Buffer.from(HEADER))).rejects.toThrow("表头下没有提案行");
  });
});

describe.each(await availableDatabases())("importing on $name", (database) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await database.open();
  });
  afterAll(() => h?.close());

  const run = async (bytes: Buffer) => {
    const sheet = await readProposalSheet("batch.csv", bytes);
    return h.db.transaction(async (tx) => {
      await lockRegistrations(tx);
      const rows = await classifyImportRows(tx, sheet);
      return { rows, result: rows.some((r) => r.status === "error") ? null : await importProposals(tx, { rows, actorId: null }) };
    });
  };

  it("a row already registered under a 案由 saved before today's cleaning (a no-break space then kept) is the same proposal, not 案由不同", async () => {
    // (a 会议 of its own: the tests after this one count their 会议's proposals)
    const file = Buffer.from([HEADER, "东莞市政协第十二届一次会议,41,关于推动制造业\u00A0数字化转型的建议,民建市委会,主办,2021-03-22"].join("\n"), "utf8");
    expect((await run(file)).result).toEqual({ created: 1, skipped: 0 });
    // as an older release stored it
    await h.db.execute(sql`update proposals set title = ${"关于推动制造业\u00A0数字化转型的建议"} where number = '41'`);
    const again = await run(file);
    expect(again.rows.filter((r) => r.status === "error")).toEqual([]);
    expect(again.result).toEqual({ created: 0, skipped: 1 });
  });

  it("imports a file whole, and re-importing it adds nothing", async () => {
    const file = Buffer.from(
      [`${HEADER},主办单位`, `${MEETING},1,关于甲的建议,民建市委会,主办,2021-03-22,`, `${MEETING},2,关于乙的建议,殷毓德,会办,2021-03-22,市科技局`].join("\n"),
      "utf8",
    );
    expect((await run(file)).result).toEqual({ created: 2, skipped: 0 });
    expect((await run(file)).result).toEqual({ created: 0, skipped: 2 });
    expect((await listProposals(h.db, { meeting: MEETING, page: 1, pageSize: 50 })).total).toBe(2);
    const first = (await listProposals(h.db, { q: "关于甲的建议", page: 1, pageSize: 5 })).rows[0];
    expect((await getProposal(h.db, first.id))?.proposers).toEqual([{ kind: "body", name: "民建市委会" }]);
  });

  it("a sheet naming the 会议 short (十三届六次会议) is the registered one: its known rows are skipped, its new rows go in under the full name", async () => {
    const file = Buffer.from([HEADER, `十三届六次会议,1,关于甲的建议,民建市委会,主办,2021-03-22`, `第十三届六次会议,3,关于丙的建议,张三,主办,2021-03-22`].join("\n"), "utf8");
    const { rows, result } = await run(file);
    expect(rows.map((r) => r.status)).toEqual(["existing", "new"]);
    expect(rows[1]).toMatchObject({ input: { meeting: MEETING } });
    expect(result).toEqual({ created: 1, skipped: 1 });
    expect((await listProposals(h.db, { meeting: MEETING, page: 1, pageSize: 50 })).total).toBe(3);
  });

  it("a new 会议 written full and short in one file is one 会议: the same number twice is a duplicate row, other numbers go into the full name", async () => {
    const twice = Buffer.from([HEADER, `东莞市政协第十五届一次会议,1,关于甲的建议,张三,主办,2026-03-20`, `十五届一次会议,1,关于乙的建议,张三,主办,2026-03-20`].join("\n"), "utf8");
    const refused = await run(twice);
    expect(refused.result).toBeNull();
    expect(refused.rows[1]).toMatchObject({ status: "error", errors: ["与第 2 行重复（同一会议、同一提案号）"] });
    const file = Buffer.from([HEADER, `十五届一次会议,2,关于丙的建议,张三,主办,2026-03-20`, `东莞市政协第十五届一次会议,3,关于丁的建议,张三,主办,2026-03-20`].join("\n"), "utf8");
    expect((await run(file)).result).toEqual({ created: 2, skipped: 0 });
    expect((await listProposals(h.db, { meeting: "东莞市政协第十五届一次会议", page: 1, pageSize: 10 })).total).toBe(2);
  });

  it("imports nothing when any row is wrong, a duplicate inside the file, or a clash with a registered proposal", async () => {
    const before = (await listProposals(h.db, { page: 1, pageSize: 1 })).total;
    const bad = await run(csv(`${MEETING},3,关于丙的建议,张三,主办,2021-03-22`, `${MEETING},4,关于丁的建议,张三,主办,不是日期`));
    expect(bad.result).toBeNull();
    const dup = await run(csv(`${MEETING},5,关于戊的建议,张三,主办,2021-03-22`, `${MEETING},5,关于戊的建议,张三,主办,2021-03-22`));
    expect(dup.rows[1]).toMatchObject({ status: "error", errors: ["与第 2 行重复（同一会议、同一提案号）"] });
    const clash = await run(csv(`${MEETING},1,关于完全不同的建议,张三,主办,2021-03-22`));
    expect(clash.rows[0]).toMatchObject({ status: "error" });
    // a corrected sheet (another 交办日期 or 办理方式) is not skipped as "already registered": the deadline would stay wrong
    const redated = await run(csv(`${MEETING},1,关于甲的建议,民建市委会,主办,2021-03-02`));
    expect(redated.rows[0]).toMatchObject({
      status: "error",
      errors: ["该提案已登记，但交办日期不同（已登记：2021-03-22），请在该提案的“修改登记信息”中更正"],
    });
    const rerole = await run(csv(`${MEETING},1,关于甲的建议,民建市委会,分办,2021-03-22`));
    expect(rerole.rows[0]).toMatchObject({ status: "error", errors: [expect.stringContaining("办理方式不同（已登记：主办）")] });
    // nor a proposer added, or another 主办单位: the clerk would believe the change went in
    const coSigned = await run(csv(`${MEETING},1,关于甲的建议,民建市委会、殷毓德,主办,2021-03-22`));
    expect(coSigned.rows[0]).toMatchObject({
      status: "error",
      errors: ["该提案已登记，但提案者（已登记：民建市委会）不同，请在该提案的“修改登记信息”中更正"],
    });
    const relead = await run(Buffer.from([`${HEADER},主办单位`, `${MEETING},2,关于乙的建议,殷毓德,会办,2021-03-22,市发展和改革局`].join("\n"), "utf8"));
    expect(relead.rows[0]).toMatchObject({ status: "error", errors: [expect.stringContaining("主办单位（已登记：市科技局）")] });
    expect((await listProposals(h.db, { page: 1, pageSize: 1 })).total).toBe(before);
  });
  it("a 交办日期 after today is registered with a warning in the history; beyond the horizon the row is refused", async () => {
    const now = today();
    const soon = addDays(now, 3);
    const far = addDays(now, FUTURE_ASSIGNMENT_HORIZON_DAYS + 1);
    const refused = await run(csv(`${MEETING},601,关于未来日期的建议,张三,主办,${far}`));
    expect(refused.result).toBeNull();
    expect(refused.rows[0]).toMatchObject({ status: "error", errors: [expect.stringContaining("请核对是否输入有误")] });
    expect((await run(csv(`${MEETING},602,关于明后天交办的建议,张三,主办,${soon}`))).result).toEqual({ created: 1, skipped: 0 });
    const id = (await listProposals(h.db, { q: "关于明后天交办的建议", page: 1, pageSize: 5 })).rows[0]!.id;
    expect((await listEvents(h.db, id))[0]!.comment).toContain(`交办日期 ${soon} 晚于今天（${now}），请确认无误`);
  });

  it("a 收到日期 before the 交办日期 or after today refuses the row, naming the column; the rest of the file is not imported", async () => {
    const header = `${HEADER},收到日期`;
    const early = await run(
      Buffer.from(`${header}\n${MEETING},611,关于先收到的建议,张三,主办,2021-03-22,2021-03-21\n${MEETING},612,关于正常收到的建议,张三,主办,2021-03-22,2021-03-23`, "utf8"),
    );
    expect(early.result).toBeNull();
    expect(early.rows[0]).toMatchObject({ status: "error", errors: ["收到日期：收到日期 2021-03-21 早于交办日期 2021-03-22，请核对"] });
    expect(early.rows[1]).toMatchObject({ status: "new" });
    const later = addDays(today(), 1);
    const ahead = await run(Buffer.from(`${header}\n${MEETING},613,关于明天收到的建议,张三,主办,2021-03-22,${later}`, "utf8"));
    expect(ahead.rows[0]).toMatchObject({ status: "error", errors: [`收到日期：收到日期 ${later} 晚于今天（${today()}），请核对`] });
  });

  it("keeps “等3位委员”: stored with the proposal, listed as filed, printed in the letter's salutation", async () => {
    const { result } = await run(csv(`${MEETING},30999,关于联名提案的建议,张三、李四等3位委员,主办,2021-03-22`));
    expect(result).toMatchObject({ created: 1 });
    const [row] = (await listProposals(h.db, { q: "30999", page: 1, pageSize: 5 })).rows;
    expect(row!.proposerNames).toBe("张三、李四等3位委员");
    const p = (await getProposal(h.db, row!.id))!;
    expect(p.proposerTotal).toBe(3);
    const built = tryBuildLetter(templateFor("lead"), draftToLetterInput(proposalFacts(p), emptyDraft("28685020", false)));
    expect(built.ok && built.letter.addressee).toBe("张三、李四等3位委员");
    // A count smaller than the names is refused with the reason, nothing imported.
    const bad = await run(csv(`${MEETING},30998,关于某事的建议,张三、李四、王五等2位委员,主办,2021-03-22`));
    expect(bad.result).toBeNull();
    expect(bad.rows[0]).toMatchObject({ status: "error", errors: ["提案者：写明了 3 位委员，但“等2位委员”人数更少，请核对"] });
  });

  it("two identical confirms at once register the batch once; the other skips every row (a real race on PostgreSQL)", async () => {
    const bytes = csv(`${MEETING},31001,关于甲的建议,张三,主办,2021-03-22`, `${MEETING},31002,关于乙的建议,李四,主办,2021-03-22`);
    const [a, b] = await Promise.all([run(bytes), run(bytes)]);
    expect([a.result, b.result].sort((x, y) => (y?.created ?? 0) - (x?.created ?? 0))).toEqual([
      { created: 2, skipped: 0 },
      { created: 0, skipped: 2 },
    ]);
  });

  it("a number registered by the form while an import is being checked is seen by the check, not met at the insert (a real race on PostgreSQL)", async () => {
    const sheet = await readProposalSheet("batch.csv", csv(`${MEETING},31003,关于丙的建议,张三,主办,2021-03-22`));
    let formDone: Promise<unknown> = Promise.resolve();
    const imported = await h.db.transaction(async (tx) => {
      await lockRegistrations(tx);
      const rows = await classifyImportRows(tx, sheet);
      // the clerk at the form saves the same number now, while the import is between its check and its insert
      formDone = h.db
        .transaction((other) =>
          registerProposal(other, {
            input: proposalInputSchema.parse({
              meeting: MEETING,
              number: "31003",
              title: "关于丙的建议",
              proposers: [{ kind: "member", name: "张三" }],
              bureauRole: "lead",
              assignedOn: "2021-03-22",
            }),
            actorId: null,
          }),
        )
        .catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 200));
      return importProposals(tx, { rows, actorId: null });
    });
    expect(imported).toEqual({ created: 1, skipped: 0 });
    expect(await formDone).toBeInstanceOf(DuplicateProposalError);
  });
});
