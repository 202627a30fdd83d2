import { expect, test } from "./fixtures";
import { createUser, signIn, signOut, snap } from "./helpers";

test("an admin's reset makes the user choose a new password; 个人设置 signs out other sessions; the audit log shows it all", async ({ page, browser }) => {
  // The admin creates 周洁 (a handler of its own: other tests sign in as the demo users), then resets her password.
  await createUser(page, { username: "zhoujie", displayName: "周洁", role: "handler", password: "initial pass 0" });
  await page.getByRole("row").filter({ hasText: "zhoujie" }).getByRole("link", { name: "修改" }).click();
  await page.getByLabel("重设密码").fill("temporary pass 1");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?saved=zhoujie$/);
  await expect(page.getByText("已保存用户 zhoujie 的修改。")).toBeVisible();
  await signOut(page);

  // 周洁 signs in with it and can do nothing before choosing her own.
  await page.goto("/login");
  await page.getByLabel("用户名").fill("zhoujie");
  await page.getByLabel("密码").fill("temporary pass 1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account\?change=required/);
  await expect(page.getByRole("alert").filter({ hasText: "管理员为您设置了临时密码" })).toBeVisible();
  await page.goto("/proposals");
  await expect(page).toHaveURL(/\/account\?change=required/);
  await page.getByLabel("当前密码").fill("temporary pass 1");
  await page.locator("input[name=next]").fill("wang own pass 2");
  await page.getByLabel("再次输入新密码").fill("wang own pass 3");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("两次输入的新密码不一致")).toBeVisible();
  // A wrong current password is refused and recorded (as a failed sign-in is).
  await page.getByLabel("当前密码").fill("not the password");
  await page.locator("input[name=next]").fill("wang own pass 2");
  await page.getByLabel("再次输入新密码").fill("wang own pass 2");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("当前密码不正确。")).toBeVisible();
  await page.getByLabel("当前密码").fill("temporary pass 1");
  await page.locator("input[name=next]").fill("wang own pass 2");
  await page.getByLabel("再次输入新密码").fill("wang own pass 2");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("密码已修改")).toBeVisible();
  await page.goto("/proposals");
  await expect(page).toHaveURL(/\/proposals$/);

  // A second session elsewhere, then signed out from 个人设置.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, "zhoujie", "wang own pass 2");
  await page.goto("/account");
  await expect(page.getByRole("region", { name: "登录会话" }).locator("li")).toHaveCount(2);
  await snap(page, "account");
  await page.getByRole("button", { name: "退出其他所有会话" }).click();
  await expect(page.getByText("已退出 1 个其他会话")).toBeVisible();
  await otherPage.goto("/proposals");
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();

  // A handler opening a proposal that is not hers: refused, and recorded.
  await page.goto("/proposals/1");
  await expect(page.getByText(/无权查看/)).toBeVisible();
  await signOut(page);

  await signIn(page, "admin");
  await page.goto("/admin/audit");
  const log = page.getByRole("table");
  for (const action of ["修改用户", "登录", "修改密码失败", "修改密码", "退出其他会话", "越权访问被拒绝"])
    await expect(log.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  await expect(log.getByRole("row").filter({ hasText: "修改用户" }).first()).toContainText("重设密码（下次登录须修改）");
  await page.getByLabel("操作").selectOption("refused");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(log.getByRole("row").nth(1)).toContainText("/proposals/1");
  await expect(log.getByRole("row").nth(1)).toContainText("周洁");
  await snap(page, "audit-log");
  const csv = await page.request.get("/admin/audit.csv?action=refused");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("越权访问被拒绝");
  // A date the filter cannot read is said beside it, as typed (it used to vanish and list everything)
  await page.goto("/admin/audit?from=2026-13-45");
  await expect(page.getByLabel("从（年-月-日）")).toHaveValue("2026-13-45");
  await expect(page.getByText("不是有效的日期（如 2026-11-30），未按此日期筛选")).toBeVisible();
  // Taking a copy of the log is itself on record, with the selection taken.
  await page.goto("/admin/audit");
  await expect(log.getByRole("row").filter({ hasText: "导出审计日志" }).first()).toContainText("action=refused");
});

test("an admin editing their own account: no password field (个人设置 asks for the current one), and disabling oneself is refused beside the checkbox", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await page.getByRole("row").filter({ hasText: "admin" }).filter({ hasText: "系统管理员" }).first().getByRole("link", { name: "修改" }).click();
  await expect(page.getByLabel("重设密码")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "个人设置" }).last()).toHaveAttribute("href", "/account");
  await page.getByLabel(/停用此账号/).check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByLabel(/停用此账号/)).toHaveAccessibleDescription("不能停用自己的账号。");
  await snap(page, "user-edit-self");
  await expect(page.getByLabel("角色")).not.toHaveAttribute("aria-invalid", "true");
  await signOut(page);
});

test("disabling a handler who still answers proposals says which are left without anyone to move them on, each a link to reassign it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await page.getByRole("row").filter({ hasText: "wangfang" }).getByRole("link", { name: "修改" }).click();
  await page.getByLabel(/停用此账号/).check();
  await page.getByRole("button", { name: "保存" }).click();
  const stranded = page.getByRole("alert").filter({ hasText: "该账号已停用" });
  await expect(stranded).toContainText(/仍是 \d+ 件在办提案的承办人/);
  await expect(stranded.getByRole("link", { name: "第30210号" })).toHaveAttribute("href", /\/proposals\/\d+$/);
  await snap(page, "user-disabled-stranded");
  // enabled again: nothing to say, back to the list
  await page.getByLabel(/停用此账号/).uncheck();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?saved=wangfang$/);
  await signOut(page);
});

test("two admins editing one account, or one batch's deadline rules: the later save from an older page is refused, nothing undone unseen", async ({ page, browser }) => {
  // an account of its own (other tests sign in as the demo users)
  await createUser(page, { username: "liangtao", displayName: "梁涛", role: "handler", password: "initial pass 0" });
  const edit = page.getByRole("row").filter({ hasText: "liangtao" }).getByRole("link", { name: "修改" });
  const editUrl = (await edit.getAttribute("href"))!;

  // the other admin without JavaScript: a page shown again after a bad field (from fresh data) must still save over what was opened
  const other = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(other, "admin");
  await other.goto(editUrl); // opened before the first admin's change

  await page.goto(editUrl);
  await page.getByLabel(/停用此账号/).check();
  await page.getByLabel("联系电话").fill("22831111");
  await page.getByLabel("电子邮箱").fill("a.liang@dg.gov.cn");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?saved=/);

  await other.getByLabel("姓名").fill("");
  await other.getByRole("button", { name: "保存" }).click();
  await expect(other.getByLabel("姓名")).toHaveAttribute("aria-invalid", "true");
  await expect(other.getByLabel(/停用此账号/)).not.toBeChecked(); // what this admin opened
  await other.getByLabel("姓名").fill("梁韬");
  await other.getByLabel("电子邮箱").fill("b.liang@dg.gov.cn");
  await other.getByRole("button", { name: "保存" }).click();
  await expect(other.getByText("该用户的信息刚被修改过")).toBeVisible();
  // merged: this admin's own changes stay, what they did not touch shows the colleague's, a field both changed names the colleague's value
  await expect(other.getByLabel("姓名")).toHaveValue("梁韬");
  await expect(other.getByLabel("联系电话")).toHaveValue("22831111");
  await expect(other.getByLabel(/停用此账号/)).toBeChecked();
  await expect(other.getByLabel("电子邮箱")).toHaveValue("b.liang@dg.gov.cn");
  await expect(other.getByText("刚被改为：a.liang@dg.gov.cn")).toBeVisible();
  await page.goto(editUrl);
  await expect(page.getByLabel(/停用此账号/)).toBeChecked(); // still disabled
  await expect(page.getByLabel("姓名")).toHaveValue("梁涛");
  // saving again is a knowing choice: it goes through (it was refused again forever), the colleague's phone kept
  await other.getByRole("button", { name: "保存" }).click();
  await expect(other).toHaveURL(/\/admin\/users\?saved=/);
  await page.goto(editUrl);
  await expect(page.getByLabel("姓名")).toHaveValue("梁韬");
  await expect(page.getByLabel("联系电话")).toHaveValue("22831111");
  await expect(page.getByLabel("电子邮箱")).toHaveValue("b.liang@dg.gov.cn");
  await expect(page.getByLabel(/停用此账号/)).toBeChecked();
  // the same with JavaScript (the form shows the merged values without a reload)
  await page.goto(editUrl);
  await other.goto(editUrl);
  await other.getByLabel("联系电话").fill("22832222");
  await other.getByRole("button", { name: "保存" }).click();
  await expect(other).toHaveURL(/\/admin\/users\?saved=/);
  await page.getByLabel("姓名").fill("梁涛");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("该用户的信息刚被修改过")).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue("梁涛");
  await expect(page.getByLabel("联系电话")).toHaveValue("22832222");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?saved=/);
  await page.goto(editUrl);
  await expect(page.getByLabel("姓名")).toHaveValue("梁涛");
  await expect(page.getByLabel("联系电话")).toHaveValue("22832222");

  // the same for a batch's rules
  await page.goto("/admin/deadlines");
  await other.goto("/admin/deadlines");
  const batch = (p: typeof page) => p.locator("form", { hasText: "东莞市政协第十三届六次会议" });
  await batch(page).getByLabel("到期前提醒（天，用顿号分隔）").fill("20、7、3");
  const restDay = (p: typeof page) => batch(p).getByLabel("到期日遇休息日");
  const before = await restDay(page).inputValue();
  await restDay(page).selectOption("previous_working_day");
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(page.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  await batch(other).getByLabel("答复期限（交办后月数）").fill("0");
  await batch(other).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(batch(other).getByLabel("答复期限（交办后月数）")).toHaveAttribute("aria-invalid", "true");
  await batch(other).getByLabel("答复期限（交办后月数）").fill("4");
  await batch(other).getByRole("button", { name: "保存并重新计算期限" }).click();
  // refused, naming who saved first; what this admin did not touch now shows the colleague's value, their own change stays
  await expect(batch(other).getByText(/该批次的期限规则刚被系统管理员（.+）修改过，您的修改未保存。您未改动的项已更新为最新。/)).toBeVisible();
  await expect(batch(other).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveValue("20、7、3");
  // a <select> too (it kept the old choice, and the next save put it back unseen)
  await expect(restDay(other)).toHaveValue("previous_working_day");
  await expect(batch(other).getByLabel("答复期限（交办后月数）")).toHaveValue("4");
  await page.reload();
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toHaveValue("3");
  await expect(batch(page).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveValue("20、7、3");
  // both changed one field: the colleague's value is shown beside this admin's
  await batch(page).getByLabel("到期前提醒（天，用顿号分隔）").fill("10、5");
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(page.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  await batch(other).getByLabel("到期前提醒（天，用顿号分隔）").fill("30、7");
  await batch(other).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(batch(other).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveAccessibleDescription(/刚被改为：10、5/);
  await expect(batch(other).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveValue("30、7");
  await expect(batch(other).getByLabel("答复期限（交办后月数）")).toHaveValue("4");
  // saved again, knowingly: what the page shows is what is kept
  await batch(other).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(other.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  await page.reload();
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toHaveValue("4");
  await expect(batch(page).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveValue("30、7");
  await expect(restDay(page)).toHaveValue("previous_working_day");
  // the same with JavaScript on the refused side: the form stays on the page, and its <select>
  // kept the old choice (the next save put it back unseen) — now it shows the colleague's
  await other.goto("/admin/deadlines");
  await restDay(other).selectOption("keep");
  await batch(other).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(other.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  await batch(page).getByLabel("答复期限（交办后月数）").fill("5");
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(batch(page).getByText(/该批次的期限规则刚被系统管理员（.+）修改过/)).toBeVisible();
  await expect(restDay(page)).toHaveValue("keep");
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toHaveValue("5");
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(page.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  await page.reload();
  await expect(restDay(page)).toHaveValue("keep");
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toHaveValue("5");
  // typed wrong with JavaScript on: each field says what is wrong with it, in the browser, what was typed kept
  await batch(page).getByLabel("答复期限（交办后月数）").fill("");
  await batch(page).getByLabel("到期前提醒（天，用顿号分隔）").fill("15、0");
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toHaveAccessibleDescription("请填写答复期限（月）");
  await expect(batch(page).getByLabel("答复期限（交办后月数）")).toBeFocused();
  await expect(batch(page).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveAccessibleDescription("提醒天数不能小于 1");
  await expect(batch(page).getByLabel("到期前提醒（天，用顿号分隔）")).toHaveValue("15、0");
  // put the demo batch's rules back
  await batch(page).getByLabel("答复期限（交办后月数）").fill("3");
  await batch(page).getByLabel("到期前提醒（天，用顿号分隔）").fill("15、7、3");
  await restDay(page).selectOption(before);
  await batch(page).getByRole("button", { name: "保存并重新计算期限" }).click();
  await expect(page.getByText(/重新计算了 \d+ 件/)).toBeVisible();
  // 承办人可见范围 from a page that showed the other setting: refused, the colleague's setting stays
  await other.goto("/admin/deadlines");
  await page.goto("/admin/deadlines");
  const visibility = (p: typeof page) => p.locator("form", { hasText: "承办人可见范围" });
  const wasOn = await visibility(page).getByRole("checkbox").isChecked();
  await visibility(page).getByRole("checkbox").setChecked(!wasOn);
  await visibility(page).getByRole("button", { name: "保存" }).click();
  await expect(visibility(page).getByText("已保存。")).toBeVisible();
  await visibility(other).getByRole("button", { name: "保存" }).click();
  await expect(visibility(other).getByText(/该设置在您打开本页后已被改为/)).toBeVisible();
  await page.reload();
  await expect(visibility(page).getByRole("checkbox")).toBeChecked({ checked: !wasOn });
  await visibility(page).getByRole("checkbox").setChecked(wasOn);
  await visibility(page).getByRole("button", { name: "保存" }).click();
  await expect(visibility(page).getByText("已保存。")).toBeVisible();
  await other.context().close();
});

test("changing one's password: the current password cannot be guessed without end from an open session", async ({ page }) => {
  await createUser(page, { username: "fanglin", displayName: "方琳", role: "viewer", password: "initial pass 0" });
  await signOut(page);
  await signIn(page, "fanglin", "initial pass 0");
  await page.goto("/account");
  const guess = async (n: number) => {
    await page.getByLabel("当前密码").fill(`guess number ${n}`);
    await page.locator("input[name=next]").fill("my own pass 42");
    await page.getByLabel("再次输入新密码").fill("my own pass 42");
    await page.getByRole("button", { name: "修改密码" }).click();
  };
  for (let n = 1; n <= 5; n++) {
    await guess(n);
    await expect(page.getByText("当前密码不正确。")).toBeVisible();
  }
  await guess(6);
  await expect(page.getByText(/当前密码错误次数过多，请 \d+ 分钟后再试。/)).toBeVisible();
  // the right password now waits too: the limit holds whatever is typed
  await page.getByLabel("当前密码").fill("initial pass 0");
  await page.locator("input[name=next]").fill("my own pass 42");
  await page.getByLabel("再次输入新密码").fill("my own pass 42");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText(/当前密码错误次数过多/)).toBeVisible();
  await signOut(page);
});

test("behind a proxy (TRUST_PROXY=1), an address the client writes into X-Forwarded-For does not reset the sign-in limit", async ({ page, baseURL }) => {
  // The proxy appends the address it saw; whatever the client put before it changes on every try.
  const attempt = (n: number) =>
    page.request.post("/login", {
      form: { username: "zhaoxiao", password: `guess number ${n}` },
      headers: { Origin: baseURL!, "X-Forwarded-For": `203.0.113.${n}, 198.51.100.7` },
      maxRedirects: 0,
    });
  for (let n = 1; n <= 5; n++) expect(await (await attempt(n)).text()).toContain("用户名或密码不正确。");
  expect(await (await attempt(6)).text()).toMatch(/登录失败次数过多，请 \d+ 分钟后再试。/);
  for (let n = 7; n <= 9; n++) expect(await (await attempt(n)).text()).toMatch(/登录失败次数过多/);
  // the owner, from their own address, still signs in
  await signIn(page, "zhaoxiao");
  await page.goto("/");
  await signOut(page);
  // The refusals under the limit are logged once a minute for that address, not once per try.
  await signIn(page, "admin");
  await page.goto("/admin/audit?action=sign_in_failed");
  const flood = page.getByRole("table").getByRole("row").filter({ hasText: "198.51.100.7" });
  await expect(flood.filter({ hasText: "用户名或密码不正确" })).toHaveCount(5);
  await expect(flood.filter({ hasText: "登录失败次数过多" })).toHaveCount(1);
  await signOut(page);
});

test("an admin lifts an account's sign-in limit from 用户管理, and the owner signs in", async ({ page, browser, baseURL }) => {
  await createUser(page, { username: "locked.out", displayName: "受限用户", role: "viewer", password: "a long new password" });
  // wrong passwords until the limit (a fresh context: no admin cookie)
  const other = await browser.newContext();
  const origin = new URL(baseURL!).origin;
  for (let i = 0; i < 6; i++) await other.request.post("/login", { form: { username: "locked.out", password: `guess ${i}` }, headers: { Origin: origin }, maxRedirects: 0 });
  await page.goto("/admin/users");
  await page.getByRole("row").filter({ hasText: "locked.out" }).getByRole("link", { name: "修改" }).click();
  await expect(page.getByText(/该账号因多次登录失败受限，至/)).toBeVisible();
  await snap(page, "user-sign-in-locked");
  await page.getByRole("button", { name: "解除登录限制" }).click();
  await expect(page.getByText("已解除该账号的登录限制。")).toBeVisible();
  const owner = await other.newPage();
  await signIn(owner, "locked.out", "a long new password");
  await other.close();
  await page.goto("/admin/audit?action=user_updated&actor=admin");
  await expect(page.getByRole("cell", { name: "解除登录限制" }).first()).toBeVisible();
});

test("个人设置: changing the notice e-mail asks for the password (a session left open must not redirect one's notices); the typed address is kept on a refusal", async ({
  page,
}) => {
  await signIn(page, "zhaoxiao");
  await page.goto("/account");
  const form = page.getByRole("form", { name: "通知邮箱" });
  await form.getByLabel("电子邮箱").fill("zhaoxiao@dg.gov.cn");
  await form.getByRole("button", { name: "保存邮箱" }).click();
  await expect(form.getByText("请输入登录密码，以确认更改通知邮箱")).toBeVisible();
  await expect(form.getByLabel("电子邮箱")).toHaveValue("zhaoxiao@dg.gov.cn");
  await form.getByLabel("登录密码").fill("not the password");
  await form.getByRole("button", { name: "保存邮箱" }).click();
  await expect(form.getByText("当前密码不正确。")).toBeVisible();
  await expect(form.getByLabel("电子邮箱")).toHaveValue("zhaoxiao@dg.gov.cn");
  await form.getByLabel("登录密码").fill("dongguan2021");
  await form.getByRole("button", { name: "保存邮箱" }).click();
  await expect(page.getByText("通知邮箱已保存")).toBeVisible();
  await expect(page.getByRole("form", { name: "通知邮箱" }).getByLabel("电子邮箱")).toHaveValue("zhaoxiao@dg.gov.cn");
  // the same address again needs no password: nothing changes
  await page.getByRole("form", { name: "通知邮箱" }).getByRole("button", { name: "保存邮箱" }).click();
  await expect(page.getByText("通知邮箱已保存")).toBeVisible();
  // changed in another window meanwhile: said, not silently replaced; saving again replaces it knowingly
  const other = await page.context().newPage();
  await other.goto("/account");
  const otherForm = other.getByRole("form", { name: "通知邮箱" });
  await otherForm.getByLabel("电子邮箱").fill("zhaoxiao.new@dg.gov.cn");
  await otherForm.getByLabel("登录密码").fill("dongguan2021");
  await otherForm.getByRole("button", { name: "保存邮箱" }).click();
  await expect(other.getByText("通知邮箱已保存")).toBeVisible();
  const mine = page.getByRole("form", { name: "通知邮箱" });
  await mine.getByLabel("电子邮箱").fill("zhaoxiao.mine@dg.gov.cn");
  await mine.getByLabel("登录密码").fill("dongguan2021");
  await mine.getByRole("button", { name: "保存邮箱" }).click();
  await expect(mine.getByText("通知邮箱在您打开本页后已改为 zhaoxiao.new@dg.gov.cn")).toBeVisible();
  await expect(mine.getByLabel("电子邮箱")).toHaveValue("zhaoxiao.mine@dg.gov.cn");
  await mine.getByLabel("登录密码").fill("dongguan2021");
  await mine.getByRole("button", { name: "保存邮箱" }).click();
  await expect(page.getByText("通知邮箱已保存")).toBeVisible();
  await expect(page.getByRole("form", { name: "通知邮箱" }).getByLabel("电子邮箱")).toHaveValue("zhaoxiao.mine@dg.gov.cn");
});
