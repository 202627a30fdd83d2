import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "dongguan2021";

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** Screenshots for people to look at (not compared): tests/.artifacts/screens. */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `tests/.artifacts/screens/${name}.png`, fullPage: true });
}
