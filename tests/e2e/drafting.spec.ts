import { expect, test, type Page } from "./fixtures";
import { formatLetterDate } from "../../app/domain/letter";
import { registerAndAssign, registerAndStartDrafting, signIn, signOut, snap } from "./helpers";

async function openLetterOf(page: Page, number: string) {
  await page.goto(`/proposals?q=${number}`);
  await page.getByRole("link", { name: `第${number}号` }).click();
  await page.waitForURL(/\/proposals\/\d+$/);
  const url = page.url();
  await page.goto(`${url}/letter`);
  return url;
}

test("draft from library paragraphs → submit → returned → fixed → signed: number and date appear, the text is frozen", async ({ page }) => {
  await signIn(page, "liyong");
  const proposalUrl = await openLetterOf(page, "30123"); // drafting, assigned to 李泳
  await page.getByRole("button", { name: "开始起草" }).click();
  await expect(page.getByText("正文还是空的")).toBeVisible();

  // Search the library and insert a paragraph about 专精特新.
  await page.getByLabel("搜索段落").fill("专精特新");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  const results = page.getByRole("region", { name: "段落库" });
  await expect(results.getByText("“专精特新”的搜索结果")).toBeVisible();
  // the page comes back at the results, the search field focused (it opened at its top)
  await expect(page).toHaveURL(/#library$/);
  await expect(page.getByLabel("搜索段落")).toBeFocused();
  await results
    .getByRole("button", { name: /^插入“/ })
    .first()
    .click();
  await expect(page.locator("fieldset#block-0")).toContainText("段落库：");
  await expect(page.locator("fieldset#block-0")).toContainText("原文");
  // focus is on the inserted paragraph, not lost to the page
  await expect(page.getByLabel("第 1 段正文")).toBeFocused();

  // A heading before it, and free text after it.
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 2 段正文").fill("下一步，我局将继续加大对专精特新企业的培育力度。");
  await page.getByRole("button", { name: "＋ 一级标题" }).click();
  await expect(page.getByLabel("第 3 段标题", { exact: true })).toBeVisible();
  await page.getByLabel("第 3 段标题", { exact: true }).fill("一、培育专精特新企业");
  await page.getByRole("button", { name: "第 3 段上移" }).click();
  await expect(page.getByLabel("第 2 段标题", { exact: true })).toHaveValue("一、培育专精特新企业");
  // by keyboard: focus stays with the moved block (its 上移 is now disabled), and the move is said
  await page.getByRole("button", { name: "第 2 段上移" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("第 1 段标题", { exact: true })).toHaveValue("一、培育专精特新企业");
  await expect(page.getByRole("button", { name: "第 1 段下移" })).toBeFocused();
  await expect(page.getByText("第 2 段已移到第 1 段。")).toBeAttached();

  // Submitting an incomplete draft is refused with the reasons.
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText(/已保存答复稿，但未提交签发。答复稿尚不完整：.*请选择办理结果分类.*请选择公开方式/)).toBeVisible();
  // …and each beside its own select, tied to it for a screen reader
  await expect(page.getByLabel("办理结果分类")).toHaveAccessibleDescription("请选择办理结果分类");
  await expect(page.getByLabel("公开方式")).toHaveAccessibleDescription("请选择公开方式");
  // What was typed was saved all the same: leaving the page now loses nothing.
  await page.reload();
  await expect(page.getByLabel("第 1 段标题", { exact: true })).toHaveValue("一、培育专精特新企业");
  await expect(page.getByLabel("第 3 段正文")).toHaveValue("下一步，我局将继续加大对专精特新企业的培育力度。");
  // Bad phone → message next to the field; what was typed is kept.
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");
  await page.getByLabel("承办人联系电话（印在答复函上）").fill("电话");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText(/联系电话格式不正确/).first()).toBeVisible();
  await page.getByLabel("承办人联系电话（印在答复函上）").fill("28685020");
  // Editing the library paragraph marks it as changed and shows the difference.
  const libText = page.getByLabel("第 2 段正文");
  await libText.fill((await libText.inputValue()) + "（2026年补充）");
  await expect(page.getByRole("region", { name: "预览" })).toContainText("（2026年补充）"); // live preview
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await snap(page, "letter-submitted");
  await signOut(page);

  // The leader returns it with a comment.
  await signIn(page, "zhanzhibin");
  await page.goto(`${proposalUrl}/letter`);
  await expect(page.getByRole("region", { name: "审签" }).getByText("首次提交的内容")).toBeVisible();
  await page.getByLabel("修改意见").fill("请补充今年的培育数据");
  await page.getByRole("button", { name: "退回修改" }).click();
  await expect(page.getByText("已退回修改。")).toBeVisible();
  await signOut(page);

  // The handler fixes it and submits again.
  await signIn(page, "liyong");
  await page.goto(`${proposalUrl}/letter`);
  await expect(page.locator("fieldset#block-1")).toContainText("已修改");
  await page.getByLabel("第 3 段正文").fill("2026年，我市新增专精特新企业120家。下一步，我局将继续加大培育力度。");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await signOut(page);

  // The leader sees what changed since the last submission, and signs.
  await signIn(page, "zhanzhibin");
  await page.goto(`${proposalUrl}/letter`);
  const review = page.getByRole("region", { name: "审签" });
  await expect(review.getByText("与上次提交相比的修改")).toBeVisible();
  await expect(review.locator("ins", { hasText: "120" })).toBeVisible();
  await snap(page, "letter-review");
  await page.getByRole("button", { name: "签发", exact: true }).click();
  await expect(page.getByText("已签发：文号和成文日期已生成")).toBeVisible();
  const todayIso = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
  const letter = page.getByRole("region", { name: "答复函" });
  await expect(letter).toContainText(new RegExp(`东工信函〔${todayIso.slice(0, 4)}〕\\d+号`));
  await expect(letter).toContainText(formatLetterDate(todayIso, "chinese")); // 成文日期 = the signing day
  await expect(letter).toContainText("领导签字：");
  await snap(page, "letter-signed");
  await signOut(page);

  // Signed, not yet sent: a task on the handler's home page, its deadline still running.
  await signIn(page, "liyong");
  await page.goto("/");
  await expect(page.getByRole("region", { name: "待发送" }).getByRole("link", { name: "第30123号" })).toBeVisible();

  // Frozen: no editor for the handler, and a posted edit is refused.
  await page.goto(`${proposalUrl}/letter`);
  await expect(page.getByRole("form", { name: "答复稿" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "答复函" })).toContainText("（2026年补充）");
  const post = await page.request.post(`${proposalUrl}/letter`, {
    form: { intent: "edit", op: "save", baseRevisionId: "1", version: "1", "blocks[0].id": "x", "blocks[0].type": "paragraph", "blocks[0].level": "1", "blocks[0].text": "篡改" },
    headers: { Origin: new URL(proposalUrl).origin },
  });
  // refused as a draft that can no longer be edited (its text comes back to copy, nothing saved)
  expect(post.status()).toBe(409);
  await page.reload();
  await expect(page.getByRole("region", { name: "答复函" })).not.toContainText("篡改");
});

test("two editors at once: changes to different paragraphs are put together; the same paragraph gets a conflict with both versions, never a silent overwrite", async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  const a = await ctx.newPage();
  await signIn(a, "liyong");
  const url = await openLetterOf(a, "30145"); // in_review in the demo: return it first as the leader
  await signOut(a);
  await signIn(a, "zhanzhibin");
  await a.goto(`${url}/letter`);
  await a.getByLabel("修改意见").fill("请完善");
  await a.getByRole("button", { name: "退回修改" }).click();
  await expect(a.getByText("已退回修改。")).toBeVisible();
  await signOut(a);

  await signIn(a, "liyong");
  await a.goto(`${url}/letter`);
  await expect(a.getByLabel("第 1 段正文")).toBeVisible(); // the demo draft of 30145
  const b = await ctx.newPage(); // same user, second tab
  await b.goto(`${url}/letter`);
  await a.getByLabel("第 1 段正文").fill("甲标签页的文字");
  // While the save is on its way the fields take no typing: its answer rebuilds the form, and text typed meanwhile would vanish.
  let release!: () => void;
  let posted = false;
  const held = new Promise<void>((r) => {
    release = r;
  });
  await a.route(/\/letter(\.data)?(\?.*)?$/, async (route) => {
    if (route.request().method() === "POST") {
      posted = true;
      await held;
    }
    await route.continue();
  });
  await a.getByRole("button", { name: "保存", exact: true }).click();
  await expect(a.getByLabel("第 1 段正文")).toBeDisabled();
  expect(posted).toBe(true);
  release();
  await expect(a.getByText("已保存。")).toBeVisible();
  await a.unroute(/\/letter(\.data)?(\?.*)?$/);
  await expect(a.getByLabel("第 1 段正文")).toBeEnabled();
  await expect(a.getByLabel("第 1 段正文")).toHaveValue("甲标签页的文字");
  await b.getByLabel("第 1 段正文").fill("乙标签页的文字");
  await b.getByRole("button", { name: "保存", exact: true }).click();
  const conflict = b.getByRole("alert", { name: "保存冲突" });
  await expect(conflict).toBeVisible();
  // shown where b is (保存 is at the letter's end, the panel at the page's top), and focused
  await expect(conflict).toBeInViewport();
  await expect(conflict).toBeFocused();
  // b's typing is now only in the panel: leaving asks first, in the app and in the browser (a reload lost it)
  await b.getByRole("link", { name: "返回提案" }).click();
  await expect(b.getByRole("alertdialog", { name: "离开本页" })).toBeVisible();
  await b.getByRole("button", { name: "留在本页" }).click();
  expect(await b.evaluate(() => !window.dispatchEvent(new Event("beforeunload", { cancelable: true }))), "the browser asks before the page is left").toBe(true);
  await expect(conflict.locator("del", { hasText: "甲" })).toBeVisible();
  await expect(conflict.locator("ins", { hasText: "乙" })).toBeVisible();
  // Until b chooses, b's fields take no typing (保留我的版本 keeps the text as it was when the conflict came).
  await expect(b.getByLabel("第 1 段正文")).toBeDisabled();
  await expect(b.getByText("请先在上方处理保存冲突")).toBeVisible();
  await snap(b, "drafting-conflict-locked");
  // While b reads the differences, a saves again: keeping b's version must not silently undo it.
  await a.getByLabel("第 1 段正文").fill("甲标签页的第二次修改");
  await a.getByRole("button", { name: "保存", exact: true }).click();
  await expect(a.getByText("已保存。")).toBeVisible();
  await conflict.getByRole("button", { name: "保留我的版本" }).click();
  await expect(conflict.locator("del", { hasText: "第二次修改" })).toBeVisible();
  await conflict.getByRole("button", { name: "保留我的版本" }).click();
  await expect(b.getByText("已保存。")).toBeVisible();
  await expect(b.getByLabel("第 1 段正文")).toHaveValue("乙标签页的文字");

  // A paragraph inserted from the library when the other tab has saved another paragraph: both are kept, no conflict
  await b.getByLabel("搜索段落").fill("完善顶层设计");
  await b.getByRole("button", { name: "搜索", exact: true }).click(); // (a search saves what is typed too)
  await expect(b.getByRole("region", { name: "段落库" }).getByRole("button", { name: "插入“完善顶层设计”" }).first()).toBeVisible();
  await a.reload();
  await a.getByLabel("第 1 段正文").fill("甲标签页的第三次修改");
  await a.getByRole("button", { name: "保存", exact: true }).click();
  await expect(a.getByText("已保存。")).toBeVisible();
  const blocksBefore = await b.getByLabel(/第 \d+ 段正文/).count();
  await b.getByLabel("第 2 段正文").fill("乙标签页改的第二段。");
  await b.getByRole("region", { name: "段落库" }).getByRole("button", { name: "插入“完善顶层设计”" }).first().click();
  await expect(b.getByText("双方的修改都已保留")).toBeVisible();
  await expect(conflict).toHaveCount(0);
  await expect(b.getByLabel(/第 \d+ 段正文/)).toHaveCount(blocksBefore + 1);
  await expect(b.getByLabel("第 1 段正文")).toHaveValue("甲标签页的第三次修改");
  await expect(b.getByLabel("第 2 段正文")).toHaveValue("乙标签页改的第二段。");

  // Both change one paragraph, each another too: 保留我的版本 keeps the other's change elsewhere, and says where both wrote
  await a.reload();
  await a.getByLabel("第 1 段正文").fill("甲改第一段。");
  await a.getByLabel("第 2 段正文").fill("甲改第二段。");
  await a.getByRole("button", { name: "保存", exact: true }).click();
  await expect(a.getByText("已保存。")).toBeVisible();
  await b.getByLabel("第 1 段正文").fill("乙改第一段。");
  await b.getByRole("button", { name: "保存", exact: true }).click();
  await expect(conflict).toContainText("双方都修改了：第 1 段");
  await expect(conflict.locator("ins", { hasText: "乙" })).toBeVisible();
  await expect(conflict.locator("del", { hasText: "甲改第二段" })).toHaveCount(0);
  await conflict.getByRole("button", { name: "保留我的版本" }).click();
  await expect(b.getByText("已保存。")).toBeVisible();
  await expect(b.getByLabel("第 1 段正文")).toHaveValue("乙改第一段。");
  await expect(b.getByLabel("第 2 段正文")).toHaveValue("甲改第二段。");
});

test("replacing the body from a past letter never loses typing: what was typed is saved first (with or without JavaScript) and stays in the save history; a refused autosave says so", async ({
  page,
  browser,
}) => {
  // The page's clock runs as usual, but the 15 s before an autosave can be skipped.
  await page.clock.install();
  await registerAndStartDrafting(page, { number: "39111", title: "关于加快建设智能终端产业集群的建议", proposer: "民建市委会", kind: "body" });
  const letterUrl = page.url();
  const panel = page.getByRole("region", { name: "参照往年答复" });
  const reuse = panel.getByRole("button", { name: "参照东工信函〔2021〕108号起草" });
  // typing not saved yet, no autosave: the reuse saves it first
  await page.getByLabel(/承办人联系电话/).fill("28685099");
  await page.getByRole("button", { name: "＋ 段落" }).last().click();
  await page.getByLabel("第 1 段正文").fill("尚未保存的第一段。");
  await reuse.click();
  await expect(page.getByText("已按所选答复函生成正文并保存")).toBeVisible();
  await expect(page.getByRole("alert", { name: "保存冲突" })).toHaveCount(0);
  await expect(page.getByLabel(/承办人联系电话/)).toHaveValue("28685099");
  await expect(page.getByLabel("第 1 段正文")).not.toHaveValue("尚未保存的第一段。");
  const typedIsInHistory = async (p: typeof page, text: string) => {
    const history = p.locator("details").filter({ hasText: "保存记录" });
    if (!(await history.getAttribute("open"))) await history.locator("summary").click();
    const numbers = (await history.getByRole("link", { name: /^第 \d+ 版$/ }).allInnerTexts()).map((t) => Number(/\d+/.exec(t)![0]));
    // the version before the reused body: the typing, saved
    await history.getByRole("link", { name: `第 ${Math.max(...numbers) - 1} 版`, exact: true }).click();
    await expect(p.getByRole("region", { name: "版本差异" })).toContainText(text);
  };
  await typedIsInHistory(page, "尚未保存的第一段。");

  // without JavaScript too: the button posts the editor with what was typed
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await signIn(plain, "liyong");
  await plain.goto(letterUrl);
  await plain.getByLabel("第 1 段正文").fill("甲乙丙丁戊己庚辛壬癸");
  await plain.getByRole("region", { name: "参照往年答复" }).getByRole("button", { name: "参照东工信函〔2021〕108号起草" }).click();
  await expect(plain.getByText("已按所选答复函生成正文并保存")).toBeVisible();
  await typedIsInHistory(plain, "甲乙丙丁戊己庚辛壬癸");
  await context.close();
  await page.goto(letterUrl);

  // A paragraph over the limit: the autosave is refused and the page says the text is not saved.
  await page.getByLabel("第 1 段正文").fill("长".repeat(50_001));
  await expect(async () => {
    await page.clock.fastForward(16_000);
    await expect(page.getByText(/自动保存未成功，修改尚未保存：这一段超过 50000 字/)).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await page
    .getByText(/自动保存未成功/)
    .locator("..")
    .screenshot({ path: "tests/.artifacts/screens/drafting-autosave-refused.png" });
});

test("while an autosave is on its way, 搜索 and 保存 wait for it (they would meet it as a conflict and be dropped)", async ({ page }) => {
  await page.clock.install();
  await registerAndStartDrafting(page, { number: "39113", title: "关于推动专精特新企业发展的建议", proposer: "张三", kind: "member" });
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let autosaving = false;
  await page.route(/\/letter(\.data)?(\?.*)?$/, async (route) => {
    if (route.request().method() === "POST" && route.request().postData()?.includes("autosave")) {
      autosaving = true;
      await held;
    }
    await route.continue();
  });
  await page.getByLabel(/承办人联系电话/).fill("28685088");
  await expect(async () => {
    await page.clock.fastForward(16_000);
    expect(autosaving).toBe(true);
  }).toPass();
  await expect(page.getByRole("button", { name: "搜索", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "保存", exact: true })).toBeDisabled();
  release();
  await expect(page.getByText(/已自动保存/)).toBeVisible();
  await expect(page.getByRole("button", { name: "搜索", exact: true })).toBeEnabled();
  await page.unroute(/\/letter(\.data)?(\?.*)?$/);
});

test("a library paragraph already in the letter is marked where it is offered, one inserted twice is a must-fix naming the first, and the leader sees the 时效 notes", async ({
  page,
}) => {
  await registerAndAssign(page, { number: "39161", title: "关于加强产业规划引领的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "签收" }).click();
  await expect(page.getByText("已签收。")).toBeVisible();
  await page.getByRole("link", { name: "起草答复函" }).click();
  await page.getByRole("button", { name: "开始起草" }).click();
  await page.getByLabel("搜索段落").fill("完善顶层设计");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  const library = page.getByRole("region", { name: "段落库" });
  const hit = library
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: "插入“完善顶层设计”" }) })
    .first();
  await hit.getByRole("button", { name: "插入“完善顶层设计”" }).click();
  await expect(page.getByLabel("第 1 段正文")).not.toHaveValue("");
  // offered again, it says where it already is
  await expect(hit).toContainText("已在正文第 1 段");
  await expect(hit.getByRole("button", { name: "插入“完善顶层设计”" })).toHaveText("再次插入");
  await hit.getByRole("button", { name: "插入“完善顶层设计”" }).click();
  await expect(page.getByLabel("第 2 段正文")).toHaveValue(await page.getByLabel("第 1 段正文").inputValue());
  await expect(page.getByText("与第 1 段的文字相同：同一段印了两遍，请删去其中一段。").first()).toBeVisible();
  await snap(page, "drafting-paragraph-twice");
  // the paragraph's target year (2022) has passed: the leader is told so beside the letter, as the handler is in the editor
  await page.getByRole("button", { name: "删除第 2 段" }).click();
  await expect(page.getByLabel("第 2 段正文")).toHaveCount(0);
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  const letterUrl = page.url().split("?")[0]!;
  await signOut(page);
  await signIn(page, "zhanzhibin");
  await page.goto(letterUrl);
  const stale = page.getByRole("region", { name: "审签" }).getByRole("region", { name: "时效提示" });
  await expect(stale).toContainText("第 1 段（段落库：完善顶层设计）");
  await expect(stale).toContainText("2022年已过");
});

test("a newer library version is offered against the clerk's own edited text, and says that accepting replaces their edits", async ({ page }) => {
  await registerAndAssign(page, { number: "39112", title: "关于促进科技成果转化的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "签收" }).click();
  await expect(page.getByText("已签收。")).toBeVisible(); // (the link is there before 签收 is done)
  await page.getByRole("link", { name: "起草答复函" }).click();
  await page.getByRole("button", { name: "开始起草" }).click();
  // (a paragraph no other test edits: the e2e database is shared by the specs)
  await page.getByLabel("搜索段落").fill("完善顶层设计");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await page.getByRole("region", { name: "段落库" }).getByRole("button", { name: "插入“完善顶层设计”" }).first().click();
  const text = page.getByLabel("第 1 段正文");
  await text.fill(`${await text.inputValue()}承办人补充的一句。`);
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  const letterUrl = page.url().split("?")[0]!;

  await signOut(page);
  await signIn(page, "admin");
  await page.goto("/library?q=完善顶层设计");
  await page.getByRole("link", { name: "完善顶层设计" }).first().click();
  await page.getByRole("link", { name: "修改", exact: true }).click();
  const body = page.getByLabel("正文");
  await body.fill(`${await body.inputValue()}库中新版本的一句。`);
  await page.getByLabel("修改说明").fill("补充新政策");
  await page.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.getByText(/已保存为第 \d+ 版/)).toBeVisible();

  await signOut(page);
  await signIn(page, "liyong");
  await page.goto(letterUrl);
  const banner = page.getByRole("region", { name: "段落库有新版本" });
  await expect(banner).toContainText("您改过这一段：采用新版本会连同您的修改一起替换。");
  await expect(banner.locator("del", { hasText: "承办人补充" })).toBeVisible();
  await expect(banner.locator("ins", { hasText: "库中新版本" })).toBeVisible();
  await banner.screenshot({ path: "tests/.artifacts/screens/drafting-library-update.png" });
  // Enter in the search field searches; it must not press 采用新版本, the form's first visible button.
  await page.getByLabel("搜索段落").fill("专精特新");
  await page.getByLabel("搜索段落").press("Enter");
  await expect(page.getByRole("region", { name: "段落库" }).getByText("“专精特新”的搜索结果")).toBeVisible();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue(/承办人补充的一句。$/);
  // Leaving with unsaved typing asks first.
  await page.getByLabel("第 1 段正文").fill(`${await page.getByLabel("第 1 段正文").inputValue()}还没保存。`);
  await page.getByRole("link", { name: "返回提案" }).click();
  const leave = page.getByRole("alertdialog", { name: "离开本页" });
  await expect(leave).toBeVisible();
  await page.screenshot({ path: "tests/.artifacts/screens/drafting-leave-unsaved.png" });
  await leave.getByRole("button", { name: "留在本页" }).click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue(/还没保存。$/);
  await expect(page).toHaveURL(/\/letter/);
  await banner.getByRole("button", { name: /采用新版本/ }).click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue(/库中新版本的一句。$/);
  await expect(page.getByRole("region", { name: "段落库有新版本" })).toHaveCount(0);
});

test("without JavaScript: register, assign, acknowledge, draft from the library and save — plain forms all the way", async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const url = await registerAndAssign(page, { number: "39001", title: "关于推动科技成果转化的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "签收" }).click();
  // the acknowledgement must be done before leaving the page (a busy machine showed the race)
  await expect(page.locator("dl").getByText("起草中", { exact: true })).toBeVisible();
  await page.goto(`${url}/letter`);
  await page.getByRole("button", { name: "开始起草" }).click();
  await page.getByLabel("搜索段落").fill("科技成果转化");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await page
    .getByRole("region", { name: "段落库" })
    .getByRole("button", { name: /^插入“/ })
    .first()
    .click();
  await expect(page.locator("fieldset#block-0")).toContainText("段落库：");
  await page.getByRole("button", { name: "＋ 段落" }).click();
  // the answer opens at the new block, not at the page's top
  await expect(page).toHaveURL(/#block-1$/);
  await expect(page.locator("fieldset#block-1")).toBeInViewport();
  await page.getByLabel("第 2 段正文").fill("下一步，我局将继续推动科技成果在莞转化。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await expect(page.getByLabel("第 2 段正文")).toHaveValue("下一步，我局将继续推动科技成果在莞转化。");

  // A long Chinese paragraph survives ten saves without JavaScript byte for byte: the textarea
  // posts back exactly what the server rendered (React 18 once padded chunks with NUL bytes).
  const sentence = "东莞市工业和信息化局推动专精特新中小企业高质量发展，培育智能移动终端产业集群（2021—2025年）。";
  const long = sentence.repeat(Math.ceil(5000 / sentence.length)).slice(0, 5000);
  await page.getByLabel("第 2 段正文").fill(long);
  for (let round = 1; round <= 10; round++) {
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect(page.getByText(/已保存|没有改动/).first()).toBeVisible();
    expect(await page.getByLabel("第 2 段正文").inputValue(), `第 ${round} 次保存后`).toBe(long);
  }

  // Reorder and remove without JavaScript: conform's list intents, answered by the server without saving.
  const history = page.getByText(/保存记录（第 1 稿，共 \d+ 次）/);
  const savesBefore = await history.textContent();
  await page.getByRole("button", { name: "第 2 段上移" }).click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue(long);
  await expect(page.getByLabel("第 1 段行内标题（可选）")).toHaveValue("");
  // …said as not saved: the earlier 已保存。 in the address was shown above them (and the typing lost on leaving)
  await expect(page.getByRole("alert").filter({ hasText: "修改尚未保存" })).toBeVisible();
  await expect(page.getByText("已保存。")).toHaveCount(0);
  await page.getByRole("button", { name: "删除第 2 段" }).click();
  await expect(page.locator("fieldset[id^=block-]")).toHaveCount(1);
  await expect(page.getByRole("alert").filter({ hasText: "修改尚未保存" })).toBeVisible();
  await snap(page, "drafting-nojs-not-saved");
  expect(await history.textContent()).toBe(savesBefore);
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await expect(page.locator("fieldset[id^=block-]")).toHaveCount(1);
  await expect(page.getByLabel("第 1 段正文")).toHaveValue(long);
  await ctx.close();
});

test("a forged list intent on the letter page is a clear 400, never a 500", async ({ page }) => {
  await signIn(page, "liyong");
  const url = await openLetterOf(page, "30145"); // a draft of 李泳's
  const post = await page.request.post(`${url}/letter`, {
    form: { intent: "edit", __intent__: "\u0000not json", baseRevisionId: "1", version: "1" },
    headers: { Origin: new URL(url).origin },
  });
  expect(post.status()).toBe(400);
});

test("a past letter reused whole that draws on a paragraph retired since: the editor names the block, with a link to the paragraph", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "39114", title: "关于加快建设智能终端产业集群的建议", proposer: "民建市委会", kind: "body" });
  const letterUrl = page.url();
  await page.goto("/library?q=提供空间保障");
  await page.getByRole("link", { name: "提供空间保障" }).first().click();
  await page.waitForURL(/\/library\/\d+$/);
  const paragraphUrl = page.url();
  await page.getByRole("button", { name: "停用" }).click();
  await expect(page.getByRole("button", { name: "恢复使用" })).toBeVisible();
  try {
    await page.goto(letterUrl);
    await page.getByRole("region", { name: "参照往年答复" }).getByRole("button", { name: "参照东工信函〔2021〕108号起草" }).click();
    await expect(page.getByText("已按所选答复函生成正文并保存")).toBeVisible();
    const warning = page.getByRole("region", { name: "引用了已停用的段落" });
    await expect(warning).toContainText(/第 \d+ 段来自“提供空间保障”，该段落已停用/);
    await expect(warning.getByRole("link", { name: "提供空间保障" })).toHaveAttribute("href", new URL(paragraphUrl).pathname);
    await warning.screenshot({ path: "tests/.artifacts/screens/drafting-retired-paragraph.png" });
  } finally {
    await page.goto(paragraphUrl);
    await page.getByRole("button", { name: "恢复使用" }).click();
    await expect(page.getByRole("button", { name: "停用" })).toBeVisible();
  }
});

test("提交签发 after the registrar changed the proposal meanwhile: the typing is saved, the submission waits for the clerk to see the change", async ({ page, browser }) => {
  await registerAndStartDrafting(page, { number: "39115", title: "关于支持中小企业数字化转型的建议", proposer: "张三", kind: "member" });
  const proposalPath = new URL(page.url()).pathname.replace(/\/letter$/, "");
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("我局高度重视中小企业数字化转型工作。");
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");

  // Meanwhile the registrar corrects the 案由.
  const registrar = await (await browser.newContext()).newPage();
  await signIn(registrar, "chenmin");
  await registrar.goto(`${proposalPath}/edit`);
  await registrar.getByLabel("案由").fill("关于支持中小企业数字化转型升级的建议");
  await registrar.getByLabel("修改说明").fill("按提案原件更正案由");
  await registrar.getByRole("button", { name: "保存" }).click();
  await expect(registrar.getByText("修改已保存")).toBeVisible();

  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "答复稿已保存，但尚未提交签发" })).toBeVisible();
  await expect(page.getByText("《关于支持中小企业数字化转型升级的建议》").first()).toBeVisible();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("我局高度重视中小企业数字化转型工作。");
  await snap(page, "letter-submit-stale");
  // Having seen it, the clerk submits.
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
});

test("without JavaScript, a colleague's save made while the page was open is kept: a paragraph added after a list action is put together with it, never written over", async ({
  page,
  browser,
}) => {
  await registerAndStartDrafting(page, { number: "39116", title: "关于加强工业设计创新的建议", proposer: "张三", kind: "member" });
  const letterPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("第一稿。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();

  // The same clerk in a browser without JavaScript opens the draft…
  const noScript = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(noScript, "liyong");
  await noScript.goto(letterPath);
  await expect(noScript.getByLabel("第 1 段正文")).toHaveValue("第一稿。");
  // …while the first tab saves again.
  await page.getByLabel("第 1 段正文").fill("另一标签页保存的修改。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();

  // A list action (answered by the server, which renders the page again from fresh data), then 保存.
  await noScript.getByRole("button", { name: "＋ 段落" }).first().click();
  await noScript.getByLabel("第 2 段正文").fill("无脚本页面补充的一段。");
  await noScript.getByRole("button", { name: "保存", exact: true }).click();
  await expect(noScript.getByText("双方的修改都已保留")).toBeVisible();
  await expect(noScript.getByLabel("第 1 段正文")).toHaveValue("另一标签页保存的修改。");
  // the same paragraph changed on both sides: the conflict, nothing written over
  await noScript.getByLabel("第 1 段正文").fill("无脚本页面的写法。");
  await page.reload();
  await page.getByLabel("第 1 段正文").fill("有脚本页面的写法。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await noScript.getByRole("button", { name: "保存", exact: true }).click();
  await expect(noScript.getByRole("alert", { name: "保存冲突" })).toContainText("双方都修改了：第 1 段");
  await noScript.context().close();
  await page.reload();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("有脚本页面的写法。");
  await expect(page.getByLabel("第 2 段正文")).toHaveValue("无脚本页面补充的一段。");
});

test("a paragraph deleted by mistake (and saved) comes back from the save history: 恢复为第 N 版 saves that version again as the newest", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "39141", title: "关于完善产业用地保障的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("第一段：保留的文字。");
  await page.getByRole("button", { name: "＋ 段落" }).last().click();
  await page.getByLabel("第 2 段正文").fill("第二段：误删后要找回的文字。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await page.getByRole("button", { name: "删除第 2 段" }).click();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await expect(page.getByLabel("第 2 段正文")).toHaveCount(0);
  // the version that still had it, from the save history
  const history = page.locator("details").filter({ hasText: "保存记录" });
  if (!(await history.getAttribute("open"))) await history.locator("summary").click();
  const versions = history.getByRole("link", { name: /^第 \d+ 版$/ });
  const count = await versions.count();
  await versions.nth(1).click(); // newest first: the version before the deletion
  await expect(page.getByRole("region", { name: "版本差异" })).toContainText("误删后要找回的文字");
  // typing not saved yet is saved first (it stays in the history), not dropped
  await page.getByLabel("第 1 段正文").fill("第一段：恢复前未保存的修改。");
  await page.getByRole("button", { name: /^恢复为第 \d+ 版$/ }).click();
  await expect(page.getByText("已恢复：所选版本的全文已另存为最新的一版")).toBeVisible();
  await expect(page.getByLabel("第 2 段正文")).toHaveValue("第二段：误删后要找回的文字。");
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("第一段：保留的文字。");
  if (!(await history.getAttribute("open"))) await history.locator("summary").click();
  await expect(history.getByRole("link", { name: /^第 \d+ 版$/ })).toHaveCount(count + 2);
  // (newest first: the restored version, then the typing saved before it)
  await history
    .getByRole("link", { name: /^第 \d+ 版$/ })
    .nth(1)
    .click();
  await expect(page.getByRole("region", { name: "版本差异" })).toContainText("恢复前未保存的修改");
  // the newest version (listed first) offers no restore of itself
  await history
    .getByRole("link", { name: /^第 \d+ 版$/ })
    .first()
    .click();
  await expect(page.getByRole("button", { name: /^恢复为第 \d+ 版$/ })).toHaveCount(0);
});

test("signed out while typing (a session that expired): 保存 says so and the typing stays on the page, not swapped for the sign-in form", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "39117", title: "关于提升中小企业服务水平的建议", proposer: "张三", kind: "member" });
  const letterUrl = page.url();
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("会话过期前输入的文字。");
  await page.context().clearCookies();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("登录已过期，刚才的修改尚未保存")).toBeVisible();
  expect(page.url()).toBe(letterUrl);
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("会话过期前输入的文字。");
  // and it stays (nothing reloaded behind the message would send the page to the sign-in form)
  await page.waitForLoadState("networkidle");
  expect(page.url()).toBe(letterUrl);
  // Signed in again (as in another tab), the same 保存 goes through.
  const again = await page.context().newPage();
  await signIn(again, "liyong");
  await again.close();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await page.goto(new URL(letterUrl).pathname);
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("会话过期前输入的文字。");
});

test("更正 by the handler: a reason is asked for beside its field; then the new draft holds the signed text at once, ready to edit", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "39118", title: "关于推进工业设计中心建设的建议", proposer: "赵六", kind: "member" });
  const letterPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("我局将继续支持工业设计中心建设，2026年新认定市级工业设计中心12家。");
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await signOut(page);
  await signIn(page, "zhanzhibin");
  await page.goto(letterPath);
  await page.getByRole("button", { name: "签发", exact: true }).click();
  await expect(page.getByText("已签发：文号和成文日期已生成")).toBeVisible();
  await signOut(page);

  await signIn(page, "liyong");
  await page.goto(letterPath);
  await page.getByRole("button", { name: "发起更正" }).click();
  await expect(page.getByLabel("更正原因")).toHaveAccessibleDescription(/更正须说明原因/);
  await page.getByLabel("更正原因").fill("认定数量有误");
  await page.getByRole("button", { name: "发起更正" }).click();
  await expect(page.getByText("已发起更正")).toBeVisible();
  // no 开始起草 in between: the signed text is the new draft
  await expect(page.getByRole("button", { name: "开始起草" })).toHaveCount(0);
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("我局将继续支持工业设计中心建设，2026年新认定市级工业设计中心12家。");
});

test("a save after the draft was submitted in another tab: the message says who did what, and the typing comes back as text to copy (it vanished with the editor)", async ({
  page,
}) => {
  await registerAndStartDrafting(page, { number: "39131", title: "关于提交后仍在另一窗口修改的建议", proposer: "民建市委会", kind: "body" });
  const other = await page.context().newPage();
  await other.goto(page.url());
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("我局将继续推动产业园区配套建设。");
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  // the other tab, opened before, still shows the editor
  await other.getByRole("button", { name: "＋ 段落" }).click();
  await other.getByLabel("第 1 段正文").fill("另一窗口里写的一段话。");
  await other.getByRole("button", { name: "保存", exact: true }).click();
  await expect(other.getByText(/您在另一窗口办理了这件提案.*答复稿已不能修改，您刚才的修改未保存/)).toBeVisible();
  await expect(other.getByRole("textbox", { name: "未保存的内容" })).toHaveValue(/另一窗口里写的一段话。/);
  await other.close();
});

test("the handler opening the 答复函 page before 签收 is told to take the proposal on first, with the way there (it spoke of 承办人李泳 to 李泳, and offered nothing)", async ({
  page,
}) => {
  const url = await registerAndAssign(page, { number: "39402", title: "关于签收前打开答复函页的建议", proposer: "钱五", kind: "member" });
  await page.goto(`${url}/letter`);
  await expect(page.getByText("请先签收本提案，签收后即可起草答复函。")).toBeVisible();
  await expect(page.getByText(/由承办人.*签收后起草/)).toHaveCount(0);
  await page.getByRole("link", { name: "前往签收" }).click();
  await expect(page.getByRole("button", { name: "签收" })).toBeVisible();
  await signOut(page);
});

test("drafted from a past letter, the leader's first review shows what changed from that letter, not the whole letter as new", async ({ page }) => {
  const url = await registerAndAssign(page, { number: "39403", title: "关于加快建设世界级智能终端产业集群的建议", proposer: "民建市委会", kind: "body" });
  await page.getByRole("button", { name: "签收" }).click();
  await expect(page.getByText("已签收。")).toBeVisible();
  await page.getByRole("link", { name: "起草答复函" }).click();
  await page.getByRole("region", { name: "参照往年答复" }).getByRole("button", { name: "参照东工信函〔2021〕108号起草" }).click();
  await expect(page.getByText("已按所选答复函生成正文并保存")).toBeVisible();
  const block = page.locator("fieldset[id^=block-]", { hasText: "3338台仪器设备" }).locator("[name$='.text']");
  await block.fill((await block.inputValue()).replace("3338台", "3710台"));
  // letter 108 went out with straight quotes: fixed too (its doubled 专 has a 改正 of its own)
  await page.getByRole("button", { name: /^修正全部必须修改项/ }).click();
  await expect(page.getByRole("button", { name: /^修正全部必须修改项/ })).toHaveCount(0);
  await page.getByLabel("办理结果分类").selectOption("B");
  await page.getByLabel("公开方式").selectOption({ label: "主动公开" });
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await signOut(page);

  await signIn(page, "zhanzhibin");
  await page.goto(`${url}/letter`);
  const review = page.getByRole("region", { name: "审签" });
  await expect(review.getByText("与参照的往年答复相比的修改（首次提交）")).toBeVisible();
  const diff = review.getByRole("region", { name: "修改对比" });
  // (compared by character: 3338 → 3710 reads 3［删除：338］［新增：710］)
  await expect(diff.locator("ins", { hasText: "710" })).toHaveCount(1);
  await expect(diff.locator("del", { hasText: "338" })).toHaveCount(1);
  // the rest of the letter is unchanged text, not every paragraph marked 新增 (as on a first submission)
  await expect(diff.locator("ins", { hasText: "系统规划引领" })).toHaveCount(0);
  await expect(diff).toContainText("未改动的");
  await snap(page, "review-after-reuse");
  await signOut(page);
});
