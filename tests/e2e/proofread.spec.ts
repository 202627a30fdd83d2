/**
 * 公文校对 where the letter is written and signed: findings appear as the handler types, a fix is
 * one click, must-fix findings block 提交签发 until fixed or kept with a reason, and the leader sees
 * what remains beside the review.
 */
import { expect, test } from "./fixtures";
import { registerAndAssign, registerAndStartDrafting, signIn, signOut, snap } from "./helpers";

test("the handler sees and fixes proofreading findings before submitting; what is kept needs a reason the leader sees", async ({ page }) => {
  const url = await registerAndAssign(page, { number: "48901", title: "关于加快培育专精特新企业的建议", proposer: "民盟市委会", kind: "body" });
  await page.getByRole("button", { name: "签收", exact: true }).click();
  // the acknowledgement must be done before leaving the page (a busy machine showed the race)
  await expect(page.locator("dl").getByText("起草中", { exact: true })).toBeVisible();
  await page.goto(`${url}/letter`);
  await page.getByRole("button", { name: "开始起草" }).click();
  await page.getByRole("button", { name: "＋ 段落" }).click();
  const text = page.getByLabel("第 1 段正文");
  await text.fill('我局将继续推动专专精特新企业发展，打造"企莞家"品牌，计划投入XX万元。');
  // Found as the handler types, under the paragraph.
  const found = page.locator("fieldset#block-0").getByRole("list", { name: "本段校对" });
  await expect(found.locator("[data-finding='char.duplicate']")).toBeVisible();
  await expect(found.locator("[data-finding='structure.placeholder']")).toBeVisible();
  await page.getByLabel("办理结果分类").selectOption("A");
  await page.getByLabel("公开方式").selectOption("主动公开");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await snap(page, "proofread-editor");

  // One click fixes what has one right answer (the straight quotes); the placeholder has none. A doubled
  // character inside a phrase may be two words meeting (共和国|国民经济): it has its own 改正, never the bulk one.
  await expect(page.locator("[data-finding='char.duplicate']")).toHaveAttribute("data-severity", "should");
  await page.getByRole("button", { name: /修正全部必须修改项/ }).click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("我局将继续推动专专精特新企业发展，打造“企莞家”品牌，计划投入XX万元。");
  await page.getByRole("button", { name: /^改正：“专专”疑为重字/ }).click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("我局将继续推动专精特新企业发展，打造“企莞家”品牌，计划投入XX万元。");
  await expect(page.locator("[data-finding='char.duplicate']")).toHaveCount(0);

  // Must-fix left: 提交签发 is refused with the finding named, until a reason is given.
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText(/校对发现 1 处必须修改的问题（“XX”）/).first()).toBeVisible();
  // the reason box is marked, and says what it needs (a screen reader is taken there)
  await expect(page.getByLabel(/保留原文的理由/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel(/保留原文的理由/)).toHaveAccessibleDescription("请填写保留原文的理由，或先在“校对”中修正这些问题。");
  await page.getByLabel(/保留原文的理由/).fill("金额待财政部门核定后由领导手填");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await signOut(page);

  // The leader sees the remaining finding and the reason beside the diff, and may sign.
  await signIn(page, "zhanzhibin");
  await page.goto(`${url}/letter`);
  const review = page.getByRole("region", { name: "校对结果" });
  await expect(review).toContainText("“XX”");
  // each finding says where it is (the leader reads them apart from the paragraphs)
  await expect(review.getByRole("listitem").filter({ hasText: "“XX”" })).toContainText(/第 \d+ 段：/);
  await expect(review).toContainText("金额待财政部门核定后由领导手填");
  await snap(page, "proofread-review");
  // 退回 for something else: the handler's reason is offered again (it had to be typed anew)…
  await page.getByLabel("修改意见").fill("请补充联系人");
  await page.getByRole("button", { name: "退回修改" }).click();
  await expect(page.getByText("已退回修改。")).toBeVisible();
  await signOut(page);
  await signIn(page, "liyong");
  await page.goto(`${url}/letter`);
  await expect(page.getByLabel(/保留原文的理由/)).toHaveValue("金额待财政部门核定后由领导手填");
  // …only while the same findings stand: a new one, and the reason is not offered for it unread
  await page.getByRole("button", { name: "＋ 段落" }).last().click();
  const added = page.getByLabel(/第 \d+ 段正文/).last();
  await added.fill("另有一处待定金额XX万元。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await expect(page.getByLabel(/保留原文的理由/)).toHaveValue("");
  await page
    .getByRole("button", { name: /^删除第 \d+ 段$/ })
    .last()
    .click();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  await expect(page.getByLabel(/保留原文的理由/)).toHaveValue("金额待财政部门核定后由领导手填");
  await page.getByRole("button", { name: "保存并提交签发" }).click();
  await expect(page.getByText("已提交签发，等待领导审签。")).toBeVisible();
  await signOut(page);
  await signIn(page, "zhanzhibin");
  await page.goto(`${url}/letter`);
  await page.getByRole("button", { name: "签发", exact: true }).click();
  await expect(page.getByText("已签发：文号和成文日期已生成")).toBeVisible();
  await page.goto(url);
  await expect(page.getByRole("region", { name: "办理历史" })).toContainText("校对：保留 1 处必须修改项");
  await signOut(page);
});

test("library paragraphs carry their findings, so an error is fixed once instead of spreading through reuse", async ({ page }) => {
  await signIn(page, "liyong");
  // Letters 108 and 109 went out with straight quotes in "创新成果转化" (109 copied 108's paragraph); the library says so.
  await page.goto("/library?q=创新成果转化");
  const card = page.getByTestId("library-result").first();
  await expect(card).toContainText(/校对：\d+ 处必须修改/);
  await card.getByRole("link").first().click();
  const found = page.getByRole("region", { name: "段落校对" });
  await expect(found.locator("[data-finding='punct.quotes']").first()).toContainText("必须修改");
  await snap(page, "proofread-library");
  await signOut(page);
});

test("without JavaScript, 改正 on a finding whose text was typed over meanwhile says it was not made (it was skipped silently)", async ({ page, browser }) => {
  await registerAndStartDrafting(page, { number: "39142", title: "关于推动专精特新企业发展的建议", proposer: "张三", kind: "member" });
  const letterPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("推推动专精特新企业发展。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存。")).toBeVisible();
  const noScript = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(noScript, "liyong");
  await noScript.goto(letterPath);
  await noScript.getByLabel("第 1 段正文").fill("今年以来，推推动专精特新企业发展。");
  await noScript.getByRole("button", { name: /^改正：.*疑为重字/ }).click();
  await expect(noScript.getByRole("alert").filter({ hasText: "已保存，但未改正：这处文字在校对之后已被改动" })).toBeVisible();
  await expect(noScript.getByLabel("第 1 段正文")).toHaveValue("今年以来，推推动专精特新企业发展。");
  // the finding, found again where the text is now, is fixed by the next click
  await noScript.getByRole("button", { name: /^改正：.*疑为重字/ }).click();
  await expect(noScript.getByLabel("第 1 段正文")).toHaveValue("今年以来，推动专精特新企业发展。");
  await noScript.context().close();
});

test("改正本段全部: a paragraph with a space at every figure (copied from a PDF) is corrected in one click, a doubled character left to its own 改正", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "48911", title: "关于培育专精特新企业的建议", proposer: "张三", kind: "member" });
  await page.getByRole("button", { name: "＋ 段落" }).click();
  await page.getByLabel("第 1 段正文").fill("近两年培育省级专专精特新企业 103 家，推动 34 家企业认定为国家级“小巨人”企业。");
  const fixAll = page.getByRole("button", { name: /^改正第 1 段全部可改正项（\d+ 处）$/ });
  await expect(fixAll).toBeVisible();
  await fixAll.click();
  await expect(page.getByLabel("第 1 段正文")).toHaveValue("近两年培育省级专专精特新企业103家，推动34家企业认定为国家级“小巨人”企业。");
  await expect(page.locator("fieldset#block-0 [data-finding='char.duplicate']")).toBeVisible();
  await expect(page.getByRole("button", { name: /^改正第 1 段全部/ })).toHaveCount(0);
});
