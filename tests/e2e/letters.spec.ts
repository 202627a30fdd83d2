import fs from "node:fs";
import { expect, test, type Page } from "./fixtures";
import JSZip from "jszip";
import { normalise, pdfLines, seedSource, unzipDocx, xmlText } from "../letters/helpers";
import { signIn, signOut, snap } from "./helpers";

const OLD_MEETING = "东莞市政协第十三届六次会议";
const FILE_108 = "东工信函〔2021〕108号_第10121号提案答复.docx";
const FILE_109 = "东工信函〔2021〕109号_第20210100号提案答复.docx";

async function proposalUrl(page: Page, number: string) {
  await page.goto(`/proposals?q=${number}`);
  await page
    .getByRole("link", { name: `第${number}号` })
    .first()
    .click();
  await page.waitForURL(/\/proposals\/\d+$/);
  return new URL(page.url()).pathname;
}

const docxText = async (file: string) => {
  const parts = await unzipDocx(fs.readFileSync(file));
  return xmlText(parts.headers.first) + xmlText(parts.document);
};

test.describe.configure({ mode: "serial" });

test("the handler downloads letter 108 as DOCX: the frozen signed text, named by 文号 and 提案号", async ({ page }) => {
  await signIn(page, "liyong");
  const url = await proposalUrl(page, "10121");
  await snap(page, "letters-proposal-10121");
  const download = page.waitForEvent("download");
  await page.locator(`a[href="${url}/letter.docx"]`).first().click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(FILE_108);
  expect(normalise(await docxText(await file.path()))).toBe(normalise(seedSource("108")));
  await signOut(page);
  // Another handler cannot see 10121, so its letter does not exist for her.
  await signIn(page, "wangfang");
  expect((await page.request.get(`${url}/letter.docx`)).status()).toBe(404);
  await signOut(page);
});

test("the leader sees letter 109's real pages before printing: 4 pages, the seal with body text; others get 404", async ({ page }) => {
  await signIn(page, "zhanzhibin");
  const url = await proposalUrl(page, "20210100");
  await page.goto(`${url}/letter`);
  await page.getByText("打印预览（实际分页）").click();
  await expect(page.getByText("共 4 页。")).toBeVisible({ timeout: 60_000 });
  const pages = page.getByRole("img", { name: /^第 \d 页$/ });
  await expect(pages).toHaveCount(4);
  for (const img of await pages.all()) {
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(300);
  }
  await snap(page, "letters-print-preview-109");
  const src = (await pages.first().getAttribute("src"))!;
  const pdf = await page.request.get(`${url}/letter.pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  // a link or image on another site makes neither a print nor an audited download in the leader's name
  for (const file of ["letter.pdf", "letter.docx", "letter/print.json"]) {
    const crossSite = await page.request.get(`${url}/${file}`, { headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status(), file).toBe(403);
    expect(await crossSite.text()).toBe("请从本系统的提案页面下载或预览答复函。");
  }
  // the HTML preview beside it puts the title and the addressee where the print has them (±1.5 mm)
  const pdfFile = test.info().outputPath("109.pdf");
  fs.writeFileSync(pdfFile, await pdf.body());
  const printed = pdfLines(pdfFile).filter((l) => l.page === 1);
  const html = await page.evaluate(() => {
    const sheet = document.querySelector("article")!.getBoundingClientRect();
    const glyphTop = (el: Element) => {
      const box = el.getBoundingClientRect();
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      return ((box.top + (box.height - size) / 2 - sheet.top) * 210) / sheet.width;
    };
    const paragraphs = [...document.querySelectorAll("article p")];
    return { title: glyphTop(document.querySelector("article h2 span")!), addressee: glyphTop(paragraphs.find((p) => p.textContent === "殷毓德委员：")!) };
  });
  const y = (text: string) => printed.find((l) => l.text === text)!.yMin;
  expect(Math.abs(html.title - y("关于对东莞市政协第十三届六次会议"))).toBeLessThan(1.5);
  expect(Math.abs(html.addressee - y("殷毓德委员："))).toBeLessThan(1.5);
  await signOut(page);
  // a handler who may not see 20210100 gets neither the pictures nor the PDF
  await signIn(page, "wangfang");
  expect((await page.request.get(src)).status()).toBe(404);
  expect((await page.request.get(`${url}/letter.pdf`)).status()).toBe(404);
  expect((await page.request.get(`${url}/letter/print.json`)).status()).toBe(404);
  await signOut(page);
  // the leader's PDF is in the audit log, as a DOCX download is
  await signIn(page, "admin");
  await page.goto("/admin/audit?action=letter_downloaded");
  await expect(page.getByRole("row").filter({ hasText: "詹志斌" }).filter({ hasText: "东工信函〔2021〕109号" }).filter({ hasText: ".pdf" })).toHaveCount(1);
  await signOut(page);
});

test("the registrar exports a 会议 as one ZIP, with a progress bar; the same form works without JavaScript", async ({ page, browser }) => {
  // the audit log's export entries before (other tests export too)
  const auditor = await (await browser.newContext()).newPage();
  await signIn(auditor, "admin");
  const exportsLogged = async () => {
    await auditor.goto("/admin/audit?action=letters_exported");
    return auditor.getByRole("row").filter({ hasText: "已签发 2 份" }).filter({ hasText: OLD_MEETING }).count();
  };
  const before = await exportsLogged();
  await signIn(page, "chenmin");
  await page.goto("/");
  await page.getByRole("link", { name: "答复函导出" }).click();
  await expect(page.getByRole("heading", { name: "答复函导出" })).toBeVisible();
  await page.getByLabel("会议").selectOption(OLD_MEETING);
  await expect(page.getByTestId("export-count")).toHaveText("将导出 2 封答复函。");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出 ZIP" }).click();
  const file = await download;
  const progress = page.getByRole("region", { name: "导出进度" });
  await expect(progress.getByTestId("export-status")).toContainText("已完成：2 封");
  await expect(progress.locator("progress")).toHaveAttribute("value", "2");
  await snap(page, "letters-export");
  expect(file.suggestedFilename()).toMatch(/^答复函_东莞市政协第十三届六次会议_已签发_\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await JSZip.loadAsync(fs.readFileSync(await file.path()));
  expect(Object.keys(zip.files).sort()).toEqual([FILE_108, FILE_109, "清单.csv"].sort());
  expect(await zip.files["清单.csv"].async("string")).toContain("东工信函〔2021〕109号");

  // Without JavaScript the form is a plain GET that streams the ZIP.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await signIn(plain, "chenmin");
  await plain.goto("/letters/export");
  await plain.getByLabel("会议").selectOption(OLD_MEETING);
  const streamed = plain.waitForEvent("download");
  await plain.getByRole("button", { name: "导出 ZIP" }).click();
  const plainZip = await JSZip.loadAsync(fs.readFileSync(await (await streamed).path()));
  expect(Object.keys(plainZip.files).sort()).toEqual([FILE_108, FILE_109, "清单.csv"].sort());
  // a link on another site does not start it, nor record it in 陈敏's name (the audit count below)
  const crossSite = await plain.request.get(`/letters/export.zip?meeting=${encodeURIComponent(OLD_MEETING)}`, { headers: { "Sec-Fetch-Site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  // nor any other audited export (the deadlines, the year's statistics); from this site they download
  for (const file of ["/deadlines.csv", "/deadlines.xlsx", "/deadlines.ics", "/stats.xlsx"]) {
    expect((await plain.request.get(file, { headers: { "Sec-Fetch-Site": "cross-site" } })).status(), file).toBe(403);
    expect((await plain.request.get(file, { headers: { "Sec-Fetch-Site": "same-origin" } })).status(), file).toBe(200);
  }
  await context.close();

  // A handler may not export.
  await signOut(page);
  await signIn(page, "liyong");
  await page.goto("/");
  await expect(page.getByRole("link", { name: "答复函导出" })).toHaveCount(0);
  expect((await page.goto("/letters/export"))?.status()).toBe(403);
  expect((await page.request.get("/letters/export.zip")).status()).toBe(403);
  await signOut(page);

  // Both exports are in the audit log: the one run as a job (with JavaScript) and the streamed one.
  expect(await exportsLogged()).toBe(before + 2);
  await auditor.context().close();
});

test("/public: reached from the sign-in page; an admin's withdrawal removes 108 at once and holds until an admin publishes it again (not in the registrar's 待公开), without the officer's phone", async ({
  page,
  browser,
}) => {
  const visitor = await (await browser.newContext()).newPage();
  // A visitor starting at the site's root: the sign-in page links to the public replies; the demo published 108.
  await visitor.goto("/");
  await visitor.getByRole("link", { name: "答复公开" }).click();
  await expect(visitor).toHaveURL(/\/public$/);
  await expect(visitor.getByRole("row", { name: /第10121号/ })).toBeVisible();
  await expect(visitor.getByRole("button", { name: "退出" })).toHaveCount(0); // no staff layout

  // The admin withdraws it with a reason: gone from the list, the page and the download at once.
  await signIn(page, "admin");
  const url = await proposalUrl(page, "10121");
  const id = url.split("/").pop();
  const id109 = (await proposalUrl(page, "20210100")).split("/").pop();
  await page.goto(url);
  const panel = page.getByRole("region", { name: "公开情况" });
  await expect(panel).toContainText("东工信函〔2021〕108号");
  await panel.getByRole("button", { name: "撤回公开" }).click();
  await expect(panel.getByText("请说明撤回原因")).toBeVisible();
  await panel.getByLabel("撤回原因").fill("联系方式未脱敏，核对后重新公开");
  await snap(page, "publication-withdraw");
  await panel.getByRole("button", { name: "撤回公开" }).click();
  await expect(page.getByRole("status")).toContainText("已撤回公开");
  await expect(panel).toContainText("撤回：联系方式未脱敏，核对后重新公开");
  const history = page.getByRole("region", { name: "办理历史" });
  await expect(history).toContainText("撤回公开");
  await expect(history).toContainText("联系方式未脱敏，核对后重新公开");
  await page.goto("/admin/audit");
  await expect(page.getByRole("row", { name: /撤回公开/ }).first()).toContainText("第10121号提案");
  await signOut(page);
  await visitor.goto("/public");
  await expect(visitor.getByText("目前还没有公开的答复。")).toBeVisible();
  await snap(visitor, "public-empty");
  expect((await visitor.goto(`/public/${id}`))?.status()).toBe(404);
  expect((await visitor.request.get(`/public/${id}.docx`)).status()).toBe(404);
  expect(await (await visitor.request.get("/public/feed.atom")).text()).not.toContain("10121");
  expect((await (await visitor.request.get("/public/replies.json")).json()).replies).toEqual([]);

  // A withdrawal holds until an admin lifts it: not in the registrar's 待公开, no 公开 for them.
  await signIn(page, "chenmin");
  await page.goto("/");
  await expect(page.getByRole("region", { name: "待公开" })).toContainText("没有待公开的答复");
  await page.goto(url);
  await expect(page.getByRole("region", { name: "公开情况" })).toContainText("撤回：联系方式未脱敏，核对后重新公开");
  await expect(page.getByRole("button", { name: "公开", exact: true })).toHaveCount(0);
  await signOut(page);
  // The admin, the contact details now masked, publishes it again from the 办理 panel.
  await signIn(page, "admin");
  await page.goto(url);
  await page.getByRole("button", { name: "公开", exact: true }).click();
  await expect(page.locator("dl").getByText("已公开", { exact: true })).toBeVisible();
  await signOut(page);
  // The proposer's feedback closes the proposal: the reply stays public.
  await signIn(page, "chenmin");
  await page.goto(url);
  const feedback = page.getByRole("form", { name: "登记征询意见" });
  await feedback.getByRole("group", { name: "民建市委会" }).getByRole("combobox", { name: "意见" }).selectOption({ label: "满意" });
  await feedback.getByRole("button", { name: "登记征询意见" }).click();
  await expect(page.locator("dl").getByText("办结", { exact: true })).toBeVisible();
  await signOut(page);

  await visitor.goto("/public");
  const row = visitor.getByRole("row", { name: /第10121号/ });
  await expect(row).toContainText("东工信函〔2021〕108号");
  await expect(row).toContainText(OLD_MEETING);
  await expect(row).toContainText("2021年5月19日");
  await snap(visitor, "public-list");
  await row.getByRole("link", { name: /世界级智能终端产业基地/ }).click();
  await expect(visitor).toHaveURL(new RegExp(`/public/${id}$`));
  const letter = visitor.getByRole("article");
  await expect(letter).toContainText("三、系统规划引领。");
  await expect(letter).toContainText("公开方式：主动公开");
  await expect(letter).not.toContainText("28685020");
  await expect(letter).not.toContainText("承办人姓名");
  expect(await visitor.content()).not.toContain("28685020");
  await snap(visitor, "public-letter-108");
  // The page is long: also keep its head and its end (no signature block, the authority where the seal goes).
  const box = (await letter.boundingBox())!;
  for (const [name, y] of [
    ["public-letter-108-head", box.y - 120],
    ["public-letter-108-end", box.y + box.height - 620],
  ] as const)
    await visitor.screenshot({ path: `tests/.artifacts/screens/${name}.png`, fullPage: true, clip: { x: Math.max(0, box.x - 40), y, width: box.width + 80, height: 660 } });

  const download = visitor.waitForEvent("download");
  await visitor.getByRole("link", { name: "下载 Word 文件" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("东工信函〔2021〕108号_第10121号提案答复（公开版）.docx");
  const text = await docxText(await file.path());
  expect(text).toContain("三、系统规划引领。");
  expect(text).not.toContain("28685020");

  // Search works on the public text only; 109 (依申请公开) is not public.
  await visitor.goto("/public?q=智能终端");
  await expect(visitor.getByRole("row", { name: /第10121号/ })).toBeVisible();
  await visitor.goto("/public?q=28685020");
  await expect(visitor.getByText("没有找到符合条件的答复。")).toBeVisible();
  expect((await visitor.goto(`/public/${id109}`))?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "没有找到这份答复" })).toBeVisible();
  expect((await visitor.request.get(`/public/${id109}.docx`)).status()).toBe(404);
  // The staff download needs a sign-in.
  const staff = await visitor.request.get(`/proposals/${id}/letter.docx`, { maxRedirects: 0 });
  expect(staff.status()).toBe(302);
  await visitor.context().close();
});
