import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "dongguan2021";

/**
 * Signs in by posting the sign-in form's fields (the server's whole sign-in: password check, limits,
 * session cookie), without drawing the form or the home page: ~1.3 s less per sign-in on a 2-core
 * machine, over ninety sign-ins. The page stays where it was; the next step opens what it needs.
 * The form itself is used by the tests about signing in (foundation.spec.ts, accounts.spec.ts).
 */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  // the worker's own server (fixtures.ts), as the sign-in page would post to it
  const origin = new URL((await page.request.get("/healthz")).url()).origin;
  const res = await page.request.post("/login", { form: { username, password }, headers: { Origin: origin }, maxRedirects: 0 });
  const to = res.headers().location ?? "";
  expect([res.status(), to.startsWith("/login")], `${username} 登录：${res.status()} ${to}`).toEqual([302, false]);
}

/** Signs out with the header's 退出, from a signed-in page (one is opened if signIn was not followed by any). */
export async function signOut(page: Page) {
  const button = page.getByRole("button", { name: "退出", exact: true });
  if (!(await button.isVisible())) await page.goto("/");
  await button.click();
  await expect(page).toHaveURL(/\/login/);
}

/** Screenshots for people to look at (not compared): tests/.artifacts/screens. */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `tests/.artifacts/screens/${name}.png`, fullPage: true });
}

/** A registrar registers a proposal (form, with or without JavaScript) and assigns it to 李泳, who then opens it. */
type NewProposal = { number: string; title: string; proposer: string; kind: "body" | "member" };

/** The registrar registers a proposal of 十四届五次 (主办, assigned 2026-11-02) through the form; returns its page's address, signed in as 陈敏. */
export async function registerProposal(page: Page, p: NewProposal & { assignedOn?: string }) {
  await signIn(page, "chenmin");
  await page.goto("/proposals/new");
  await fillRegistration(page, p);
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByRole("heading", { name: `第${p.number}号提案` })).toBeVisible();
  return page.url().replace(/\?.*$/, "");
}

/** Fills 登记提案 (open on the page) as a 主办 proposal; 会议 and 交办日期 as registerProposal's unless given. */
export async function fillRegistration(page: Page, p: NewProposal & { meeting?: string; assignedOn?: string }) {
  await page.getByLabel("届次/会议").fill(p.meeting ?? "东莞市政协第十四届五次会议");
  await page.getByLabel("提案号").fill(p.number);
  await page.getByLabel("案由").fill(p.title);
  if (p.kind === "body") await page.getByRole("radio", { name: /单位（党派/ }).check();
  await page.getByLabel("提案者姓名或名称").fill(p.proposer);
  await page.getByLabel("办理方式").selectOption({ label: "主办" });
  await page.getByLabel("交办日期").fill(p.assignedOn ?? "2026-11-02");
}

/** The admin creates an account through 用户管理 (signed in as admin afterwards). */
export async function createUser(page: Page, u: { username: string; displayName: string; role: string; password: string }) {
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await page.getByLabel("用户名").fill(u.username);
  await page.getByLabel("姓名").fill(u.displayName);
  await page.getByLabel("角色").selectOption(u.role);
  await page.getByLabel("初始密码").fill(u.password);
  await page.getByRole("button", { name: "创建用户" }).click();
  await expect(page.getByRole("row").filter({ hasText: u.username })).toBeVisible();
}

/** registerAndAssign, then 李泳 acknowledges it and starts its reply: the letter page with an empty draft. */
export async function registerAndStartDrafting(page: Page, p: NewProposal) {
  await registerAndAssign(page, p);
  await page.getByRole("button", { name: "签收" }).click();
  // the link is there before 签收 is done: following it at once could cut the 签收 short (a flaky run)
  await expect(page.getByText("已签收。")).toBeVisible();
  await page.getByRole("link", { name: "起草答复函" }).click();
  await page.getByRole("button", { name: "开始起草" }).click();
  await expect(page.getByText("已开始起草。")).toBeVisible();
}

export async function registerAndAssign(page: Page, p: NewProposal & { assignedOn?: string }) {
  const url = await registerProposal(page, p);
  await page.getByLabel("承办人", { exact: true }).selectOption({ label: "李泳（28685020）" });
  await page.getByRole("button", { name: "分派", exact: true }).click();
  await expect(page.getByText("已分派。")).toBeVisible();
  await signOut(page);
  await signIn(page, "liyong");
  await page.goto(url);
  return url;
}
