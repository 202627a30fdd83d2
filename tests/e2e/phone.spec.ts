/**
 * The staff pages on a phone (375 px, as 200 % zoom on a small laptop), and the draft editor by
 * keyboard after a save: what the desktop accessibility checks did not see (a review, 2026-12-02).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { registerAndStartDrafting, signIn, signOut, snap } from "./helpers";

const serious = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

test("on a phone the leader reads the letter reflowed to the screen, and the list, the home page and the statistics pass axe (wide tables scroll by keyboard)", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signIn(page, "zhanzhibin");
  await page.goto("/proposals/4/letter");
  const letter = page.getByRole("region", { name: "答复函全文" });
  await expect(letter).toContainText("您提出的");
  // each line of the A4 sheet was a third on the screen, scrolled sideways
  expect(await letter.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  expect(await serious(page)).toEqual([]);
  await snap(page, "letter-review-phone");
  await signOut(page);

  await signIn(page, "chenmin");
  for (const path of ["/", "/proposals", "/stats"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    expect(await serious(page), path).toEqual([]);
  }
  // the list's wide table is a named region the keyboard reaches, its 案由 readable
  await page.goto("/proposals");
  const table = page.getByRole("region", { name: "提案列表（表格）" });
  await expect(table).toHaveAttribute("tabindex", "0");
  expect((await table.getByRole("link", { name: /关于/ }).first().boundingBox())!.width).toBeGreaterThan(100);
  await snap(page, "proposal-list-phone");
  await context.close();
});

test("after 保存 in the draft editor focus is back on 保存 where the page was, and 已保存 is said in the page's live region; 改正 says what it changes", async ({ page }) => {
  await registerAndStartDrafting(page, { number: "39401", title: "关于键盘保存后焦点的建议", proposer: "孙二", kind: "member" });
  await page.getByRole("button", { name: "＋ 段落" }).click();
  // a half-width comma: a finding with its fix
  await page.getByLabel("第 1 段正文").fill("我局将加强培育,推动企业发展。");
  const fix = page.getByRole("button", { name: /^改正：将“.+”改为“.+”$/ }).first();
  await expect(fix).toBeVisible();
  const save = page.getByRole("button", { name: "保存", exact: true });
  await save.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await expect(page).toHaveURL(/#save$/);
  await expect(save).toBeFocused();
  // the page stayed down at the button, not at its top
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  // a fix comes back to its paragraph
  await page
    .getByRole("button", { name: /^改正：/ })
    .first()
    .click();
  await expect(page).toHaveURL(/#block-0$/);
  await expect(page.getByLabel("第 1 段正文")).toBeFocused();
  await signOut(page);
});
