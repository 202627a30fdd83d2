/**
 * The public site as a crawler sees it: starting at /public and following every link it offers
 * (list, filters, pages, Word files, the Atom feed, the JSON), it finds letter 108 (published) and
 * nothing of what is not public — 109 (依申请公开, not published), a draft waiting for signature,
 * the officer's phone — and guessing ids leads nowhere else.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import nodePath from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { unzipDocx, xmlText } from "../letters/helpers";
import { signIn, signOut, snap } from "./helpers";

const PUBLISHED = "三、系统规划引领。"; // letter 108
const NOT_PUBLIC = [
  "聚焦产业链优势环节，重点关注科技成果转化", // letter 109: 依申请公开, never published
  "加快培育智能制造示范项目", // the draft of 第30145号, waiting for signature
  "28685020", // the officer's phone, printed on the signed letter only
  "承办人姓名",
];

test("a crawler over the public site finds only published text, and ids lead nowhere else", async ({ request }) => {
  const seen = new Set<string>();
  const queue = ["/public", "/public/feed.atom", "/public/replies.json"];
  const texts: string[] = [];
  while (queue.length && seen.size < 200) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    const type = r.headers()["content-type"] ?? "";
    if (type.includes("application/pdf")) {
      // The PDF's text as a reader would copy it (poppler's pdftotext, installed with LibreOffice in CI).
      const file = nodePath.join(os.tmpdir(), `crawl-${seen.size}.pdf`);
      fs.writeFileSync(file, await r.body());
      texts.push(execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
      continue;
    }
    if (type.includes("wordprocessingml")) {
      const parts = await unzipDocx(await r.body());
      texts.push(xmlText(parts.document));
      continue;
    }
    const body = await r.text();
    texts.push(body);
    // Follow every link on this site under /public (HTML hrefs, feed links, JSON urls).
    for (const m of body.matchAll(/(?:href="|"url": "|"docx": ")([^"]+)"/g)) {
      const u = new URL(m[1]!.replace(/&amp;/g, "&"), "http://x");
      if ((u.host === "x" || u.host === new URL(r.url()).host) && u.pathname.startsWith("/public")) queue.push(u.pathname + u.search);
    }
  }
  expect([...seen]).toContain("/public/1");
  expect([...seen]).toContain("/public/1.docx");
  expect([...seen]).toContain("/public/1.pdf");
  const all = texts.join("\n");
  expect(all).toContain(PUBLISHED);
  for (const secret of NOT_PUBLIC) expect(all, secret).not.toContain(secret);

  // Every other id, as a page or a file: not found, and the same answer whether or not it exists.
  for (let id = 2; id <= 40; id++) {
    expect((await request.get(`/public/${id}`)).status(), `/public/${id}`).toBe(404);
    expect((await request.get(`/public/${id}.docx`)).status(), `/public/${id}.docx`).toBe(404);
    expect((await request.get(`/public/${id}.pdf`)).status(), `/public/${id}.pdf`).toBe(404);
  }
  for (const odd of ["/public/0", "/public/-1", "/public/1e3", "/public/99999999999", "/public/1%00"]) expect((await request.get(odd)).status(), odd).toBeGreaterThanOrEqual(400);
});

test("a browser revisiting a public page gets it from its cache (304) and its scripts still run", async ({ page }) => {
  await page.goto("/public/1");
  await page.goto("/public");
  await page.goto("/public/1");
  await expect(page.getByRole("article")).toContainText("三、系统规划引领。");
  // Revalidated with its ETag (304, the page from the browser's cache). The fixture fails the test on any script the Content-Security-Policy blocked: a 304 must not
  // bring a new nonce that the cached page's inline scripts do not carry.
});

test("the public pages answer conditional requests: 304 while nothing changed", async ({ request, baseURL }) => {
  for (const path of ["/public", "/public/1", "/public/feed.atom", "/public/replies.json"]) {
    const first = await request.get(path);
    const etag = first.headers().etag;
    expect(etag, path).toMatch(/^W\/"/);
    expect(first.headers()["cache-control"]).toBe("public, no-cache");
    const again = await request.get(path, { headers: { "If-None-Match": etag! } });
    expect(again.status(), path).toBe(304);
  }
  // The feed's links follow the host it was asked for: a copy made for another host is not confirmed.
  const base = new URL(baseURL!);
  const feed = await request.get("/public/feed.atom");
  expect(feed.headers().vary).toContain("Host");
  const otherHost = await request.get("/public/feed.atom", { headers: { Host: `localhost:${base.port}`, "If-None-Match": feed.headers().etag! } });
  expect(otherHost.status()).toBe(200);
  expect(await otherHost.text()).toContain(`http://localhost:${base.port}/public/`);
  const json = await (await request.get("/public/replies.json")).json();
  expect(json.replies).toEqual([
    expect.objectContaining({ documentNumber: "东工信函〔2021〕108号", proposalNumber: "10121", meeting: "东莞市政协第十三届六次会议", date: "2021-05-19" }),
  ]);
  expect((await (await request.get("/public/replies.json?year=2020")).json()).replies).toEqual([]);
});

test("a redaction rule hides its text in every public form — page, feed, JSON, Word, search — while the internal letter stays whole", async ({ page, browser }) => {
  const secret = "松山湖材料实验室";
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/public/1");
  await expect(visitor.getByRole("article")).toContainText(secret);

  await signIn(page, "chenmin");
  await page.goto("/admin/redactions");
  const form = page.getByRole("form", { name: "新增隐去规则" });
  await form.getByLabel("要隐去的文字或规则").fill(secret);
  await form.getByLabel("适用文号").fill("东工信函〔2021〕108号");
  await form.getByRole("button", { name: "新增规则" }).click();
  await expect(form.getByText("请说明隐去的理由")).toBeVisible(); // the reason is required, what was typed stays
  await expect(form.getByLabel("要隐去的文字或规则")).toHaveValue(secret);
  await form.getByLabel("理由").fill("演示：涉及尚未公布的项目");
  // Each refusal is named beside its own field: an unknown 文号 beside 适用文号, a pattern RE2 cannot read beside the rule.
  await form.getByLabel("适用文号").fill("东工信函〔2021〕999号");
  await form.getByRole("button", { name: "新增规则" }).click();
  await expect(form.getByLabel("适用文号")).toHaveAccessibleDescription(/没有已签发的答复函文号为“东工信函〔2021〕999号”/);
  await expect(form.getByLabel("要隐去的文字或规则")).not.toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("类型").selectOption("pattern");
  await form.getByLabel("要隐去的文字或规则").fill("(?<=电话)\\d+");
  await form.getByLabel("适用文号").fill("");
  await form.getByRole("button", { name: "新增规则" }).click();
  await expect(form.getByLabel("要隐去的文字或规则")).toHaveAccessibleDescription(/不支持向前、向后查找和反向引用/);
  await form.getByLabel("类型").selectOption("text");
  await form.getByLabel("要隐去的文字或规则").fill(secret);
  await form.getByLabel("适用文号").fill("东工信函〔2021〕108号");
  await form.getByRole("button", { name: "新增规则" }).click();
  await expect(page.getByText("已新增规则，公开网站立即生效。")).toBeVisible();
  await snap(page, "redaction-rules");

  await visitor.goto("/public/1");
  await expect(visitor.getByRole("note")).toContainText("部分内容已按规定隐去");
  await expect(visitor.getByRole("article")).not.toContainText(secret);
  await expect(visitor.getByRole("article")).toContainText("■■■■■■■■");
  for (const path of ["/public/feed.atom", "/public/replies.json"]) expect(await (await visitor.request.get(path)).text(), path).not.toContain(secret);
  const parts = await unzipDocx(await (await visitor.request.get("/public/1.docx")).body());
  expect(xmlText(parts.document)).not.toContain(secret);
  await visitor.goto(`/public?q=${encodeURIComponent(secret)}`);
  await expect(visitor.getByText("没有找到符合条件的答复。")).toBeVisible();
  // Inside, the letter is whole.
  await page.goto("/proposals/1/letter");
  await expect(page.getByRole("region", { name: "答复函" })).toContainText(secret);

  // Removed: public again, and the rule stays listed as removed.
  await page.goto("/admin/redactions");
  await page
    .getByRole("row", { name: new RegExp(secret) })
    .getByRole("button", { name: "删除" })
    .click();
  await expect(page.getByRole("row", { name: new RegExp(secret) })).toContainText("已删除");
  await visitor.goto("/public/1");
  await expect(visitor.getByRole("article")).toContainText(secret);
  await signOut(page);
  await visitor.context().close();
});

test("the public pages pass an automated accessibility check (axe-core: no serious or critical violations) and need no script", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    for (const path of ["/public", "/public/1", "/public?q=智能终端&year=2021", "/public/999"]) {
      await page.goto(path);
      if (!javaScriptEnabled) {
        // Without JavaScript the same content is there: the list, the letter, the Word link.
        await expect(page.getByRole("main")).toBeVisible();
        continue;
      }
      const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
        path,
      ).toEqual([]);
    }
    if (!javaScriptEnabled) {
      await page.goto("/public/1");
      await expect(page.getByRole("article")).toContainText("三、系统规划引领。");
      await expect(page.getByRole("link", { name: "下载 Word 文件" })).toBeVisible();
    }
    await context.close();
  }
});

test("on a phone (390 px) the public list fits the screen, and a reply reflows to it — no sideways scrolling; on a wide screen it is the A4 sheet (axe)", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/public");
  await expect(page.getByRole("link", { name: /智能终端/ }).first()).toBeVisible();
  // the header's screen-reader-only 下载 widened the whole page past the screen
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snap(page, "public-list-phone");
  await page.goto("/public/1");
  const sheet = page.getByRole("region", { name: "答复函全文" });
  await expect(sheet).toContainText("三、系统规划引领。");
  // one h1, the 案由; the letter's title under it (it was a second h1)
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(sheet.getByRole("heading", { level: 2 })).toContainText("关于");
  // the A4 sheet showed a third of each line and scrolled sideways
  const letter = sheet.getByRole("article");
  expect(await sheet.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  expect((await letter.boundingBox())!.width).toBeLessThanOrEqual(390);
  await snap(page, "public-reply-phone");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  // on a screen wide enough, the sheet of the printed letter: 210 mm (794 px)
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(Math.round((await letter.boundingBox())!.width)).toBe(794);
  await context.close();
});

test("a redaction rule that cannot work is refused beside its field, without JavaScript too, keeping what was typed", async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, "chenmin");
  await page.goto("/admin/redactions");
  const form = page.getByRole("form", { name: "新增隐去规则" });
  await form.getByLabel("类型").selectOption("pattern");
  await form.getByLabel("要隐去的文字或规则").fill("91[0-9A-Z{16}(");
  await form.getByLabel("理由").fill("统一社会信用代码");
  await form.getByRole("button", { name: "新增规则" }).click();
  await expect(form.getByLabel("要隐去的文字或规则")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("规则不是有效的正则表达式")).toBeVisible();
  await expect(form.getByText("请按提示修改后再提交。")).toBeVisible();
  await expect(form.getByLabel("要隐去的文字或规则")).toHaveValue("91[0-9A-Z{16}(");
  await expect(form.getByLabel("理由")).toHaveValue("统一社会信用代码");
  await expect(form.getByLabel("类型")).toHaveValue("pattern");
  await expect(page.getByRole("row", { name: /统一社会信用代码/ })).toHaveCount(0);
  await ctx.close();
});

test("the Atom feed is filtered like the list: a feed of one 会议 or one search to subscribe to", async ({ request }) => {
  const entries = async (query: string) => ((await (await request.get(`/public/feed.atom${query}`)).text()).match(/<entry>/g) ?? []).length;
  expect(await entries("")).toBeGreaterThan(0);
  expect(await entries("?q=智能终端")).toBe(await entries(""));
  expect(await entries("?meeting=没有这个会议")).toBe(0);
  expect(await entries("?q=没有这样的答复内容")).toBe(0);
  expect(await (await request.get("/public/feed.atom?year=2021")).text()).toContain('rel="self" type="application/atom+xml" href="http');
});

test("a page number past the end says so, with the way back (not “no replies yet” under “共 N 件”)", async ({ page }) => {
  await page.goto("/public?page=500");
  await expect(page.getByText("这一页没有答复：见下方的页码。")).toBeVisible();
  await expect(page.getByText("目前还没有公开的答复。")).toHaveCount(0);
  // one way back, from the pager (the table offered another, to another page)
  await expect(page.getByRole("link", { name: /^回到/ })).toHaveCount(1);
  await page.getByRole("link", { name: /回到第 \d+ 页/ }).click();
  await expect(page.getByRole("table").getByRole("row")).not.toHaveCount(1);
});

test("a search pasted far past what a list takes keeps the page: the box holds the first 100 characters and they are searched (library, public)", async ({ page }) => {
  // ~1,000 hanzi: 9 KB of address once encoded, past the server's 8 KB limit (414, the error screen, the typing lost)
  const pasted = `专精特新${"企业发展".repeat(249)}`;
  const first100 = pasted.slice(0, 100);
  await signIn(page, "chenmin");
  await page.goto("/library");
  const box = page.getByRole("searchbox", { name: "搜索" });
  await box.fill(pasted);
  await box.press("Enter");
  await expect(page).toHaveURL((u) => u.searchParams.get("q") === first100);
  // searched (the search itself takes the first words of a long term): no error screen
  await expect(page.getByRole("status").filter({ hasText: "没有找到包含“专精特新企业发展" })).toBeVisible();
  await expect(page.getByText("系统出错了")).toHaveCount(0);
  await expect(box).toHaveValue(first100);

  await page.goto("/public");
  const publicBox = page.getByRole("textbox", { name: "搜索答复" });
  await publicBox.fill(pasted);
  await publicBox.press("Enter");
  await expect(page).toHaveURL((u) => u.searchParams.get("q") === first100);
  await expect(page.getByText("符合条件的答复：0 件")).toBeVisible();
  await expect(publicBox).toHaveValue(first100);
});
