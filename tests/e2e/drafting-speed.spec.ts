/**
 * Drafting beats Word, counted: the user actions (clicks, fields filled, options chosen) two
 * drafting tasks take in the browser. Action counts are deterministic, so the goals are asserted;
 * the figures are printed (and left in tests/.artifacts/drafting-actions.json) as benchmark figures.
 */
import fs from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { registerAndAssign, snap } from "./helpers";
import { expect, test } from "./fixtures";

/** Performs and counts what a user does. Navigation the test itself makes (goto) is setup, not counted. */
class Actions {
  count = 0;
  log: string[] = [];
  private note(what: string) {
    this.count++;
    this.log.push(what);
  }
  async click(l: Locator, what: string) {
    this.note(`点击 ${what}`);
    await l.click();
  }
  async fill(l: Locator, value: string, what: string) {
    this.note(`填写 ${what}`);
    await l.fill(value);
  }
  async select(l: Locator, value: string, what: string) {
    this.note(`选择 ${what}`);
    await l.selectOption(value);
  }
}

const figures: Record<string, { actions: number; goal: number; steps: string[] }> = {};
test.afterAll(() => {
  fs.mkdirSync("tests/.artifacts", { recursive: true });
  fs.writeFileSync("tests/.artifacts/drafting-actions.json", JSON.stringify(figures, null, 2));
  for (const [k, v] of Object.entries(figures)) console.log(`[bench] 起草操作数 ${k}: ${v.actions}（目标 ≤ ${v.goal}）`);
});

/** The body of a letter as the editor shows it: per block, its inline lead and text. */
async function editorBody(page: Page) {
  return page.locator("fieldset[id^=block-]").evaluateAll((sets) =>
    sets.map((f) => {
      const lead = (f.querySelector("input[name$='.lead']") as HTMLInputElement | null)?.value ?? "";
      const text = (f.querySelector("[name$='.text']") as HTMLInputElement | HTMLTextAreaElement | null)?.value ?? "";
      const type = (f.querySelector("input[name$='.type']") as HTMLInputElement).value;
      return { type, lead, text };
    }),
  );
}

test("task 1: a new proposal from 民建市委会 on smart terminals gets the body of letter 108 in ≤ 10 actions", async ({ page }) => {
  await registerAndAssign(page, { number: "39108", title: "关于加快建设世界级智能终端产业集群的建议", proposer: "民建市委会", kind: "body" });
  const act = new Actions();
  await act.click(page.getByRole("button", { name: "签收" }), "签收");
  await expect(page.getByText("已签收。")).toBeVisible(); // (what a user sees before the next click; not an action)
  await act.click(page.getByRole("link", { name: "起草答复函" }), "起草答复函");
  const panel = page.getByRole("region", { name: "参照往年答复" });
  await expect(panel.locator("li").first()).toContainText("东工信函〔2021〕108号");
  await expect(panel.locator("li").first()).toContainText("同一提案者");
  await snap(page, "drafting-similar-letters");
  await act.click(panel.getByRole("button", { name: "参照东工信函〔2021〕108号起草" }), "参照此函起草");
  await expect(page.getByText("已按所选答复函生成正文并保存")).toBeVisible();
  await snap(page, "drafting-from-letter-108");

  // The saved body is letter 108's, block for block: leads kept, text as sent — less its slip: 一、 and
  // 二、 went out typed into their paragraphs among 行内标题, and come as 行内标题 like the others.
  const letter108 = JSON.parse(fs.readFileSync("seeds/letters/letter-108.json", "utf8")) as { sections: { type: string; text: string; lead?: { text: string } }[] };
  const typed = /^[一二]、[^。]+。/;
  expect(await editorBody(page)).toEqual(
    letter108.sections.map((s) => {
      const m = typed.exec(s.text);
      return m ? { type: s.type, lead: m[0], text: s.text.slice(m[0].length) } : { type: s.type, lead: s.lead?.text ?? "", text: s.text };
    }),
  );
  // Linked to the library: every paragraph block names the library paragraph it came from.
  await expect(page.locator("fieldset[id^=block-]", { hasText: "段落库：" })).toHaveCount(10);
  // The salutation and 案由 are this proposal's.
  const preview = page.getByRole("region", { name: "预览" });
  await expect(preview).toContainText("关于加快建设世界级智能终端产业集群的建议");
  await expect(preview).toContainText("民建市委会：");
  figures["task1-letter-108"] = { actions: act.count, goal: 10, steps: act.log };
  expect(act.count).toBeLessThanOrEqual(10);
});

test("task 2: a 4–6 paragraph reply on 专精特新 from suggestions and search, submitted, in ≤ 25 actions", async ({ page }) => {
  await registerAndAssign(page, { number: "39109", title: "关于加快培育专精特新中小企业的建议", proposer: "林晓", kind: "member" });
  const act = new Actions();
  await act.click(page.getByRole("button", { name: "签收" }), "签收");
  await act.click(page.getByRole("link", { name: "起草答复函" }), "起草答复函");
  await act.click(page.getByRole("button", { name: "开始起草" }), "开始起草");
  const library = page.getByRole("region", { name: "段落库" });
  const suggestions = library.locator("div", { has: page.getByRole("heading", { name: "与本提案相关的推荐段落" }) });
  // Three suggested paragraphs, each one click; each arrives with its own heading (inline lead).
  for (const title of ["优质企业梯队培育工程", "实施集群培育“强链工程”", "做好强链补链"]) {
    const before = await page.locator("fieldset[id^=block-]").count();
    await act.click(suggestions.getByRole("button", { name: `插入“${title}”` }), `插入推荐段落“${title}”`);
    await expect(page.locator("fieldset[id^=block-]")).toHaveCount(before + 1);
  }
  // A fourth from a search.
  await act.fill(page.getByLabel("搜索段落"), "融通创新", "搜索段落");
  await act.click(page.getByRole("button", { name: "搜索", exact: true }), "搜索");
  await act.click(library.getByRole("button", { name: "插入“聚焦产业生态优化，推动融合创新”" }).first(), "插入搜索结果");
  await expect(page.locator("fieldset[id^=block-]")).toHaveCount(4);
  const body = await editorBody(page);
  // Every one arrived with its heading, and none with the plans' responsibility tags.
  expect(body.map((b) => b.lead)).toEqual(["（二）优质企业梯队培育工程。", "（三）实施集群培育“强链工程”。", "七、做好强链补链。", "3. 聚焦产业生态优化，推动融合创新。"]);
  expect(body.map((b) => b.text).join("")).not.toMatch(/（市工业和信息化局/);
  await act.select(page.getByLabel("办理结果分类"), "B", "办理结果分类");
  await act.select(page.getByLabel("公开方式"), "主动公开", "公开方式");
  // the search result's own number (“3.”) sits as a 二级 行内标题 under 七、: one click makes it （一）
  await act.click(page.getByRole("button", { name: "修正全部必须修改项（1 处）" }), "修正全部必须修改项");
  await expect(page.getByLabel("第 4 段行内标题（可选）")).toHaveValue("（一）聚焦产业生态优化，推动融合创新。");
  await act.click(page.getByRole("button", { name: "保存并提交签发" }), "保存并提交签发");
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await snap(page, "drafting-task2-submitted");
  figures["task2-specialized-smes"] = { actions: act.count, goal: 25, steps: act.log };
  expect(act.count).toBeLessThanOrEqual(25);
});

test("search by 文号: “108号” finds letter 108 — insert one section or the whole body", async ({ page }) => {
  await registerAndAssign(page, { number: "39110", title: "关于优化企业服务的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "签收" }).click();
  await expect(page.getByText("已签收。")).toBeVisible(); // (the link is there before 签收 is done)
  await page.getByRole("link", { name: "起草答复函" }).click();
  await page.getByRole("button", { name: "开始起草" }).click();
  await page.getByLabel("搜索段落").fill("108号");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  const hit = page.getByLabel("答复函 东工信函〔2021〕108号");
  await expect(hit).toContainText("正文 10 段");
  await hit.getByRole("button", { name: "插入本节“八、优化对企服务。”" }).click();
  await expect(page.locator("fieldset[id^=block-]")).toHaveCount(1);
  const body = await editorBody(page);
  expect(body[0]).toMatchObject({ lead: "八、优化对企服务。" });
  await expect(page.locator("fieldset#block-0")).toContainText("段落库：优化对企服务");
  // The same letter's paragraphs are in the library search results.
  await expect(page.getByRole("button", { name: "插入“完善顶层设计”" })).toBeVisible();
});
