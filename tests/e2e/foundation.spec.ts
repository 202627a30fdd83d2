import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { expect, test } from "./fixtures";
import { fillRegistration, signIn, signOut, snap } from "./helpers";

/** A colleague (the admin, in a browser of their own) saves 修改登记信息 at `editUrl` with these fields changed. */
async function colleagueSaves(browser: Browser, editUrl: string, fields: Record<string, string>) {
  const colleague = await (await browser.newContext()).newPage();
  await signIn(colleague, "admin");
  await colleague.goto(editUrl);
  for (const [label, value] of Object.entries(fields)) await colleague.getByLabel(label).fill(value);
  await colleague.getByRole("button", { name: "保存" }).click();
  await expect(colleague.getByText("已保存")).toBeVisible();
  await colleague.context().close();
}

test("load balancer checks: /healthz answers without the database, /readyz after a query, neither cached", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.text()).toBe("ok");
  expect(health.headers()["cache-control"]).toBe("no-store");
  const ready = await request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.text()).toBe("ready");
});

test("a registrar registers a proposal, fixes bad input, and the history shows every change", async ({ page }) => {
  await page.goto("/proposals");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fproposals/);
  await snap(page, "login");
  // Signing in on that page returns to where the user was going.
  await page.getByLabel("用户名").fill("chenmin");
  await page.getByLabel("密码").fill("wrong password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("用户名或密码不正确。")).toBeVisible();
  await expect(page.getByLabel("用户名")).toHaveValue("chenmin");
  await page.getByLabel("密码").fill("dongguan2021");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/proposals$/);
  await expect(page.getByRole("link", { name: "第10121号" })).toBeVisible();
  await expect(page.getByRole("link", { name: "第20210100号" })).toBeVisible();
  await snap(page, "proposal-list");

  await page.getByRole("link", { name: "登记提案" }).first().click();
  // Bad input: messages next to the fields, what was typed is kept.
  await page.getByLabel("届次/会议").fill("东莞市政协第十三届六次会议");
  await page.getByLabel("案由").fill("关于支持专精特新中小企业发展的建议");
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByText("请填写提案号")).toBeVisible();
  await expect(page.getByText("请至少填写一位提案者")).toBeVisible();
  await expect(page.getByLabel("案由")).toHaveValue("关于支持专精特新中小企业发展的建议");
  await snap(page, "register-errors");

  // A number already registered in this session is refused with a clear message.
  await page.getByLabel("提案号").fill("10121");
  await page.getByLabel("提案者姓名或名称").fill("张三\n李四\n王五");
  await page.getByLabel("办理方式").selectOption({ label: "主办" });
  await page.getByLabel("交办日期").fill("2026-03-20");
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByText("东莞市政协第十三届六次会议第10121号提案已经登记，不能重复登记。")).toBeVisible();

  await page.getByLabel("提案号").fill("第30010号");
  const pdf = path.resolve("tests/.artifacts/original.pdf");
  fs.mkdirSync(path.dirname(pdf), { recursive: true });
  fs.writeFileSync(pdf, "%PDF-1.4\n% test original\n");
  await page.getByLabel("提案原件").setInputFiles(pdf);
  await page.getByRole("button", { name: "登记" }).click();

  await expect(page.getByRole("heading", { name: "第30010号提案" })).toBeVisible();
  const facts = page.locator("dl");
  await expect(facts.getByText("张三、李四、王五委员")).toBeVisible();
  await expect(facts.getByText("（共 3 位）")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "original.pdf" }).click();
  expect(fs.readFileSync(await (await download).path(), "utf8")).toContain("% test original");

  await page.getByRole("link", { name: "修改登记信息" }).click();
  await page.getByLabel("办理方式").selectOption({ label: "会办" });
  await page.getByLabel("修改说明").fill("按交办通知更正");
  await page.getByRole("button", { name: "保存" }).click();
  // a 会办意见 goes to the lead unit: asked for here, beside its field, the typing kept
  await expect(page.getByText("会办提案须填写主办单位（会办意见送往的单位）")).toBeVisible();
  await expect(page.getByLabel("修改说明")).toHaveValue("按交办通知更正");
  await page.getByLabel("主办单位（会办时填写）").fill("市发展和改革局");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("修改已保存")).toBeVisible();
  const history = page.locator("section", { has: page.getByRole("heading", { name: "办理历史" }) });
  await expect(history.getByText("登记提案")).toBeVisible();
  await expect(history.getByText("上传原件")).toBeVisible();
  await expect(history.getByText("说明：按交办通知更正")).toBeVisible();
  await expect(history.locator("del", { hasText: "主办" })).toBeVisible();
  await expect(history.locator("ins", { hasText: "会办" })).toBeVisible();
  await snap(page, "proposal-detail");

  // The list finds it by text and by role.
  await page.goto("/proposals?q=专精特新&role=co");
  await expect(page.getByRole("link", { name: "第30010号" })).toBeVisible();
  await expect(page.getByText("共 1 件")).toBeVisible();
});

test("sign-in: an empty field is named beside it, with JavaScript before posting and without it by the server; a refusal keeps the username, never the password", async ({
  browser,
}) => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
    let posted = 0;
    page.on("request", (r) => {
      if (r.method() === "POST") posted++;
    });
    await page.goto("/login");
    await page.getByLabel("用户名").fill("liyong");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByText("请填写密码")).toBeVisible();
    await expect(page.getByLabel("密码")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("用户名")).toHaveValue("liyong");
    expect(posted, javaScriptEnabled ? "checked in the browser" : "checked by the server").toBe(javaScriptEnabled ? 0 : 1);
    await page.getByLabel("密码").fill("wrong password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByText("用户名或密码不正确。")).toBeVisible();
    await expect(page.getByLabel("用户名")).toHaveValue("liyong");
    // the server never sends a password back (with JavaScript the page is not reloaded: the field keeps what was typed)
    if (!javaScriptEnabled) await expect(page.getByLabel("密码")).toHaveValue("");
    await page.context().close();
  }
});

test("registration form: without JavaScript the server names each problem beside its field and keeps the typing; with it the browser does before posting", async ({
  browser,
  page,
}) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const plain = await ctx.newPage();
  await signIn(plain, "chenmin");
  await plain.goto("/proposals/new");
  await plain.getByLabel("届次/会议").fill("东莞市政协第十四届五次会议");
  await plain.getByLabel("案由").fill("关于推进工业互联网平台建设的建议");
  await plain.getByRole("radio", { name: /单位（党派/ }).check();
  await plain.getByLabel("提案者姓名或名称").fill("民建市委会");
  await plain.getByLabel("交办日期").fill("2026-13-40");
  await plain.getByRole("button", { name: "登记" }).click();
  await expect(plain.getByText("请按提示修改标红的内容后再提交。")).toBeVisible();
  await expect(plain.getByLabel("提案号")).toHaveAttribute("aria-invalid", "true");
  await expect(plain.getByText("请填写提案号")).toBeVisible();
  await expect(plain.getByText("请选择办理方式（主办/会办/分办）")).toBeVisible();
  await expect(plain.getByText("不是有效的日期")).toBeVisible();
  await expect(plain.getByLabel("案由")).toHaveValue("关于推进工业互联网平台建设的建议");
  await expect(plain.getByLabel("提案者姓名或名称")).toHaveValue("民建市委会");
  await expect(plain.getByRole("radio", { name: /单位（党派/ })).toBeChecked();
  await expect(plain.getByLabel("交办日期")).toHaveValue("2026-13-40");
  await plain.getByLabel("提案号").fill("39101");
  await plain.getByLabel("办理方式").selectOption({ label: "主办" });
  await plain.getByLabel("交办日期").fill("2026-11-02");
  await plain.getByRole("button", { name: "登记" }).click();
  await expect(plain.getByRole("heading", { name: "第39101号提案" })).toBeVisible();
  await expect(plain.locator("dl").getByText("民建市委会")).toBeVisible();
  // no dead buttons: 打印 needs JavaScript (the browser's own print remains); with it, it is there
  await expect(plain.getByRole("button", { name: "打印" })).toHaveCount(0);

  // 修改登记信息 opened here, then changed by a colleague: a bad field shows the page again (from
  // fresh data), and the next save is still merged with what this user opened: the colleague's
  // 案由 is kept (it was put back before), this user's 交办日期 is saved.
  const proposalUrl = plain.url().replace(/\?.*$/, "");
  const editUrl = `${proposalUrl}/edit`;
  await plain.goto(editUrl);
  await colleagueSaves(browser, editUrl, { 案由: "关于推进工业互联网平台建设的建议（修改）" });
  await plain.getByLabel("交办日期").fill("2026-13-40");
  await plain.getByRole("button", { name: "保存" }).click();
  await expect(plain.getByText("不是有效的日期")).toBeVisible();
  await plain.getByLabel("交办日期").fill("2026-11-03");
  await plain.getByRole("button", { name: "保存" }).click();
  await expect(plain.getByText("已保存")).toBeVisible();
  await expect(plain.locator("dl").getByText("关于推进工业互联网平台建设的建议（修改）")).toBeVisible();
  await expect(plain.locator("dl").getByText("2026-11-03")).toBeVisible();
  // Both change the same field: refused beside it with the colleague's value, the other fields
  // brought up to date; saving again, knowingly, takes this user's value and keeps the rest.
  await plain.goto(editUrl);
  await colleagueSaves(browser, editUrl, { 案由: "关于推进工业互联网平台建设的建议（同事）", 备注: "同事补充的备注" });
  await plain.getByLabel("案由").fill("关于推进工业互联网平台建设的建议（本人）");
  await plain.getByRole("button", { name: "保存" }).click();
  await expect(plain.getByText(/该提案刚被其他人修改，案由与您填写的不同/)).toBeVisible();
  await expect(plain.getByText("刚被其他人改为：关于推进工业互联网平台建设的建议（同事）")).toBeVisible();
  await expect(plain.getByLabel("案由")).toHaveValue("关于推进工业互联网平台建设的建议（本人）");
  await expect(plain.getByLabel("备注")).toHaveValue("同事补充的备注");
  await plain.getByRole("button", { name: "保存" }).click();
  await expect(plain.getByText("已保存")).toBeVisible();
  await expect(plain.locator("dl").getByText("关于推进工业互联网平台建设的建议（本人）")).toBeVisible();
  await expect(plain.locator("dl").getByText("同事补充的备注")).toBeVisible();
  await ctx.close();

  // With JavaScript nothing is posted until the form is right; "等N位委员" is checked against the names too.
  await signIn(page, "chenmin");
  await page.goto(proposalUrl);
  await expect(page.getByRole("button", { name: "打印" })).toBeVisible();
  await page.goto("/proposals/new");
  const posts: string[] = [];
  page.on("request", (r) => (r.method() === "POST" ? posts.push(r.url()) : undefined));
  await page.getByLabel("届次/会议").fill("东莞市政协第十四届五次会议");
  await page.getByLabel("提案号").fill("39102");
  await page.getByLabel("案由").fill("关于加快5G应用的建议");
  await page.getByLabel("提案者姓名或名称").fill("张三、李四、王五等2位委员");
  await page.getByLabel("办理方式").selectOption({ label: "主办" });
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByText("写明了 3 位委员，但“等2位委员”人数更少，请核对")).toBeVisible();
  await expect(page.getByText("请填写有效日期（年-月-日）")).toBeVisible();
  expect(posts).toEqual([]);
  // focus goes to the first field in error, which reads its error; one alert says what to do, not one per field
  await expect(page.getByLabel("提案者姓名或名称")).toBeFocused();
  await expect(page.getByLabel("提案者姓名或名称")).toHaveAccessibleDescription("写明了 3 位委员，但“等2位委员”人数更少，请核对");
  await expect(page.getByRole("alert")).toHaveText(["请按提示修改标红的内容后再提交。"]);
  await page.getByLabel("提案者姓名或名称").fill("张三、李四、王五等5位委员");
  await page.getByLabel("交办日期").fill("2026-11-02");
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByRole("heading", { name: "第39102号提案" })).toBeVisible();
  await expect(page.locator("dl").getByText("张三、李四、王五等5位委员")).toBeVisible();
  await expect(page.locator("dl").getByText("（共 5 位）")).toBeVisible();
});

test("a stale edit is refused with a conflict message instead of overwriting", async ({ browser }) => {
  const a = await browser.newPage();
  const b = await browser.newPage();
  await signIn(a, "chenmin");
  await signIn(b, "admin");
  await a.goto("/proposals?q=20210100");
  await a.getByRole("link", { name: "第20210100号" }).click();
  await a.waitForURL(/\/proposals\/\d+$/);
  const editUrl = a.url() + "/edit";
  await a.goto(editUrl);
  await b.goto(editUrl);
  await a.getByLabel("备注").fill("甲的备注");
  await a.getByRole("button", { name: "保存" }).click();
  await expect(a.getByText("修改已保存")).toBeVisible();
  await b.getByLabel("备注").fill("乙的备注");
  await b.getByRole("button", { name: "保存" }).click();
  await expect(b.getByText(/该提案刚被其他人修改，备注与您填写的不同/)).toBeVisible();
  await expect(b.getByText("刚被其他人改为：甲的备注")).toBeVisible();
  await expect(b.getByLabel("备注")).toHaveValue("乙的备注");
  await a.reload();
  await expect(a.locator("dl").getByText("甲的备注")).toBeVisible();
  await expect(a.getByText("乙的备注")).toHaveCount(0);
});

test("bulk import: preview with per-row errors, then a clean file goes in whole", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals/import");
  const dir = path.resolve("tests/.artifacts");
  const bad = path.join(dir, "bad.csv");
  fs.writeFileSync(
    bad,
    "序号,会议,提案号,案由,提案者,办理方式,交办日期\n1,导入测试会议,1,关于甲的建议,民建市委会,主办,2026-03-20\n2,导入测试会议,2,关于乙的建议,张三,牵头,2026-02-30\n",
  );
  await page.getByLabel("交办清单文件").setInputFiles(bad);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByText("有错误 1 行", { exact: false })).toBeVisible();
  await expect(page.getByText("交办日期：不是有效的日期")).toBeVisible();
  // a column the importer does not read is named, not dropped without a word
  await expect(page.getByRole("note")).toHaveText("以下列不在导入范围内，其内容不会导入：序号。需要保留的内容请写入“备注”列。");
  await expect(page.getByRole("button", { name: /确认导入/ })).toHaveCount(0);
  await snap(page, "import-errors");

  const good = path.join(dir, "good.csv");
  fs.writeFileSync(
    good,
    "会议,提案号,案由,提案者,办理方式,交办日期,主办单位\n导入测试会议,1,关于甲的建议,民建市委会,主办,2026-03-20,\n导入测试会议,2,关于乙的建议,张三、李四等4位委员,会办,2026-03-20,市科技局\n",
  );
  await page.getByLabel("交办清单文件").setInputFiles(good);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByRole("cell", { name: "张三、李四等4位委员" })).toBeVisible();
  await page.getByRole("button", { name: "确认导入 2 件" }).click();
  await expect(page).toHaveURL(/imported=2/);
  await page.goto("/proposals?meeting=导入测试会议");
  await expect(page.getByText("共 2 件")).toBeVisible();

  // The same file again adds nothing.
  await page.goto("/proposals/import");
  await page.getByLabel("交办清单文件").setInputFiles(good);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByText("文件中的提案均已登记，无需导入。")).toBeVisible();
});

test("bulk import's 确认导入 checks what comes back as the sheet's reader does: a forged 会办 row without its 主办单位 is refused, nothing registered", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals/import");
  const origin = new URL(page.url()).origin;
  const input = {
    meeting: "导入伪造测试会议",
    number: "1",
    title: "关于伪造导入的建议",
    proposers: [{ kind: "member", name: "张三" }],
    bureauRole: "co",
    assignedOn: "2026-03-20",
    notes: "",
  };
  const forged = await page.request.post("/proposals/import", {
    multipart: { intent: "confirm", fileName: "a.csv", rows: JSON.stringify([{ row: 2, input }]) },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(400);
  await page.goto("/proposals?meeting=导入伪造测试会议");
  await expect(page.getByText("共 0 件")).toBeVisible();
});

test("roles: an admin creates a user; a handler cannot open a proposal not assigned to them; unknown pages are 404", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/");
  await page.getByRole("link", { name: "管理", exact: true }).click();
  await page.getByRole("link", { name: "用户管理" }).click();
  await page.getByLabel("用户名").fill("xiaoli");
  await page.getByLabel("姓名").fill("小李");
  await page.getByLabel("角色").selectOption({ label: "承办人" });
  await page.getByLabel("联系电话").fill("28685099");
  await page.getByLabel("初始密码").fill("short");
  await page.getByRole("button", { name: "创建用户" }).click();
  await expect(page.getByText("密码至少 10 个字符")).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue("小李");
  await page.getByLabel("初始密码").fill("a long new password");
  await page.getByRole("button", { name: "创建用户" }).click();
  await expect(page.getByText("已创建用户 xiaoli")).toBeVisible();
  await snap(page, "users");
  await signOut(page);

  // the 初始密码 the admin typed is a one-time key: 小李 chooses her own before anything else
  await signIn(page, "xiaoli", "a long new password");
  await page.goto("/");
  await expect(page).toHaveURL(/\/account\?change=required/);
  await page.getByLabel("当前密码").fill("a long new password");
  await page.locator("input[name=next]").fill("xiaoli own pass 1");
  await page.getByLabel("再次输入新密码").fill("xiaoli own pass 1");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("密码已修改")).toBeVisible();
  await expect(page.getByRole("link", { name: "登记提案" })).toHaveCount(0);
  await page.goto("/proposals");
  await expect(page.getByText("没有符合条件的提案。")).toBeVisible();
  const resp = await page.goto("/proposals/1");
  expect(resp?.status()).toBe(404);
  expect((await page.goto("/proposals/new"))?.status()).toBe(403);
  expect((await page.goto("/admin/users"))?.status()).toBe(403);
  expect((await page.goto("/admin"))?.status()).toBe(403);
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  // a number no record can have is refused before the app: still a page to a browser, with the way back
  const refused = await page.goto("/public/99999999999");
  expect(refused?.status()).toBe(404);
  // a page to a browser, a line to a script: no cache may hand one to the other
  expect(refused?.headers()).toMatchObject({ vary: "Accept", "cache-control": "no-store" });
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(page.getByRole("link", { name: "答复公开" })).toBeVisible();
});

test("the server refuses forged and oversized posts before reading them, with a Chinese answer", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const form = { username: "admin", password: "wrong" };
  // No Origin, a null Origin, a foreign one: refused (CSRF policy), never a 500.
  for (const headers of [{}, { Origin: "null" }, { Origin: "https://evil.example" }] as Record<string, string>[]) {
    const r = await page.request.post("/login", { form, headers, maxRedirects: 0 });
    expect(r.status(), JSON.stringify(headers)).toBe(403);
    expect(await r.text()).toContain("跨站或来源不明的请求已被拒绝");
  }
  // 20 MB posted to the sign-in form: 413 from the declared length, nothing parsed.
  const big = await page.request.post("/login", {
    data: Buffer.alloc(20 * 1024 * 1024, 0x61),
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    maxRedirects: 0,
  });
  expect(big.status()).toBe(413);
  expect(await big.text()).toBe("提交的内容过大。");
  // A body that is no form (JSON, text): 415 with a reason, not a 500 from the action.
  for (const [type, data] of [
    ["application/json", '{"username":"admin"}'],
    ["text/plain", "username=admin"],
  ]) {
    const r = await page.request.post("/login", { data, headers: { Origin: origin, "Content-Type": type }, maxRedirects: 0 });
    expect(r.status(), type).toBe(415);
    expect(await r.text()).toBe("请求格式无效：请通过页面上的表单提交。");
  }
  // A multipart body the parser cannot read: 400 with a reason (request.formData() threw: a 500, without an account).
  for (const address of ["/login", "/login.data"]) {
    const broken = await page.request.post(address, { data: "garbage", headers: { Origin: origin, "Content-Type": "multipart/form-data; boundary=x" }, maxRedirects: 0 });
    expect(broken.status(), address).toBe(400);
    expect(await broken.text(), address).toContain("提交的内容无法读取");
  }
  // A NUL character in a field (PostgreSQL refuses it in text): the form's own answer, not a 500.
  const nul = await page.request.post("/login", { form: { username: "ad\u0000min", password: "wrong" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(nul.status()).toBe(400);
  expect(await nul.text()).toContain("用户名或密码不正确。");
  // After sign-in, only paths on this site: a tab the browser strips does not lead elsewhere.
  await page.goto("/login?redirectTo=" + encodeURIComponent("/\t/evil.example/"));
  await page.getByLabel("用户名").fill("zhaoxiao");
  await page.getByLabel("密码").fill("dongguan2021");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(origin);
  // Signed-in pages are not stored; the session cookie ends with the browser.
  const home = await page.request.get("/");
  expect(home.headers()["cache-control"]).toBe("private, no-store");
  // Scripts only from this site or with this response's nonce; the page's inline scripts carry it.
  const csp = home.headers()["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(csp).toContain("script-src 'self' 'nonce-");
  expect(csp).toContain("frame-ancestors 'none'");
  const html = await home.text();
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
  expect(inline.length).toBeGreaterThan(0);
  for (const m of inline) expect(m[1]).toContain(`nonce="${nonce}"`);
  const cookie = (await page.context().cookies()).find((c) => c.name === "prd_session");
  expect(cookie?.expires).toBe(-1);
  // A HEAD of a letter's file does none of the download's work, and is not recorded as a letter taken.
  for (const path of ["/proposals/1/letter.pdf", "/proposals/1/letter.docx", "/public/1.pdf", "/library/documents/1/file", "/proposals/1/files/1"]) {
    const head = await page.request.head(path, { maxRedirects: 0 });
    expect(head.status(), path).toBe(405);
    expect(head.headers().allow, path).toBe("GET");
    // nor does an OPTIONS (it ran the loader: a letter's PDF sent, an export in the audit log)
    const options = await page.request.fetch(path, { method: "OPTIONS", maxRedirects: 0 });
    expect(options.status(), path).toBe(204);
    expect(options.headers().allow, path).toBe("GET");
    expect(await options.body(), path).toHaveLength(0);
  }
  // A method no page takes is refused with the methods it does take: TRACE made the server's
  // request conversion throw (a 500 on every path); a POST to a download an English error.
  const trace = await page.request.fetch("/login", { method: "TRACE", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" } });
  expect(trace.status()).toBe(405);
  expect(trace.headers().allow).toBe("GET, HEAD, POST");
  expect(await trace.text()).toContain("此地址不支持 TRACE 请求");
  const postFeed = await page.request.post("/public/replies.json", { form: { a: "1" }, headers: { Origin: origin } });
  expect(postFeed.status()).toBe(405);
  expect(postFeed.headers().allow).toBe("GET, HEAD");
  expect((await page.request.head("/public/replies.json")).status()).toBe(200);
  // A multipart body to a page that takes no files has the form limit (it was parsed whole, without an account).
  const bigMultipart = await page.request.post("/login", {
    multipart: { username: "admin", password: "x".repeat(9 * 1024 * 1024) },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(bigMultipart.status()).toBe(413);
});

test("with JavaScript, an original between the form limit (8 MB) and the upload limit is taken", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals/new");
  await fillRegistration(page, {
    meeting: "东莞市政协第十三届六次会议",
    number: "39401",
    title: "关于大文件原件上传的建议",
    proposer: "张三",
    kind: "member",
    assignedOn: "2026-03-20",
  });
  // 10 MB: posted to /proposals/new.data (single fetch), which had the 8 MB form limit and answered a bare 413
  const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n% large original\n"), Buffer.alloc(10 * 1024 * 1024, 0x20)]);
  await page.getByLabel("提案原件").setInputFiles({ name: "大原件.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByRole("heading", { name: "第39401号提案" })).toBeVisible();
  await expect(page.getByRole("link", { name: "大原件.pdf" })).toBeVisible();
});

test("a registration refused on the server says beside 提案原件 that the chosen file must be chosen again", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals/new");
  // 10121 of this 会议 is registered (the demo's letter 108): refused by the server, after the upload
  await fillRegistration(page, { meeting: "东莞市政协第十三届六次会议", number: "10121", title: "关于重复登记的建议", proposer: "张三", kind: "member", assignedOn: "2026-03-20" });
  await page.getByLabel("提案原件").setInputFiles({ name: "原件.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% original\n") });
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByLabel("提案号")).toHaveAccessibleDescription(/已经登记/);
  await expect(page.getByLabel("提案原件")).toHaveAccessibleDescription(/所选文件“原件.pdf”未保存（登记未完成）：请重新选择后再登记。/);
  await expect(page.getByLabel("案由")).toHaveValue("关于重复登记的建议");
});

test("a POST to a page that takes none is a 405 in Chinese, on staff and public pages — not the framework's English, nor a 'server error'", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/");
  const origin = new URL(page.url()).origin;
  for (const path of ["/stats", "/public", "/public/1"]) {
    const r = await page.request.post(path, { form: { x: "1" }, headers: { Origin: origin } });
    expect(r.status(), path).toBe(405);
    // what the page shows (the hydration data after it still carries the framework's error, unseen)
    const html = (await r.text()).split("<script")[0]!;
    expect(html, path).toContain("此页面不接受提交");
    expect(html, path).not.toContain("You made a POST request");
    expect(html, path).not.toContain("服务器处理请求时发生错误");
  }
  // an upload page's form sent urlencoded: said so, not every field marked missing; nothing written
  for (const path of ["/proposals/new", "/proposals/import", "/library/import"]) {
    const r = await page.request.post(path, { form: { intent: "confirm", meeting: "x" }, headers: { Origin: origin } });
    expect(r.status(), path).toBe(415);
    expect((await r.text()).split("<script")[0], path).toContain("带文件的表单须以 multipart/form-data 发送");
    // a multipart body cut short or malformed: 400 with a reason (it was read as an empty form, every field 请填写)
    const cut = await page.request.post(path, {
      data: '--X\r\nContent-Disposition: form-data; name="intent"\r\n\r\nconfirm\r\n--X\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
      headers: { Origin: origin, "Content-Type": "multipart/form-data; boundary=X" },
    });
    expect(cut.status(), path).toBe(400);
    expect((await cut.text()).split("<script")[0], path).toContain("提交的内容无法读取");
  }
});

test("a large POST answered before its body was read (405, 404) leaves the connection usable: the next request on it is answered, not reset", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/");
  const origin = new URL(page.url()).origin;
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  // one kept-alive connection, as a browser reuses it
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, body?: string) =>
    new Promise<number | string>((resolve) => {
      const headers: http.OutgoingHttpHeaders = { Origin: origin, cookie };
      if (body) Object.assign(headers, { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) });
      const r = http.request(`${origin}${path}`, { method, agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      r.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      r.end(body);
    });
  // ~540 KB: more than the adapter's stream buffers before the page answers
  const big = `intent=x&text=${encodeURIComponent("提".repeat(60_000))}`;
  const answers: (number | string)[] = [];
  for (let i = 0; i < 2; i++) answers.push(await send("POST", "/stats", big), await send("POST", "/proposals/999999", big), await send("GET", "/healthz"));
  agent.destroy();
  expect(answers).toEqual([405, 404, 200, 405, 404, 200]);
});

test("clients that go away mid-page (closed tabs) leave the server running", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/proposals");
  const origin = new URL(page.url()).origin;
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  // the connection dropped as soon as the page starts to come: it stopped the whole server once
  const dropped = () =>
    new Promise<void>((resolve) => {
      const r = http.get(`${origin}/proposals`, { headers: { cookie } }, (res) => {
        res.socket.destroy();
        resolve();
      });
      r.on("error", () => resolve());
    });
  for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 20 }, dropped));
  await page.waitForTimeout(300);
  expect((await page.request.get("/healthz")).status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("heading", { name: "提案", exact: true })).toBeVisible();
});

test("addresses no page can answer get a clear status, never a 500", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/");
  const cases: [string, number][] = [
    ["/proposals/2147483648", 404],
    ["/library/99999999999999", 404],
    ["/proposals?q=%00", 400],
    ["/proposals?q=" + encodeURIComponent("专".repeat(1000)), 414],
    ["/proposals?q=" + "a".repeat(500), 200],
    ["/library?q=" + "专".repeat(300) + "&doc=99999999999", 200],
    // a number the address guard lets through but no row id can be (int4)
    ["/library/1e10", 404],
    ["/library/documents/1e10", 404],
    ["/library/documents/1e10/file", 404],
    ["/proposals/1e10/edit", 404],
  ];
  for (const [url, status] of cases) {
    const r = await page.request.get(url, { maxRedirects: 0 });
    expect(r.status(), url).toBe(status);
  }
  // a missing paragraph or document is said inside the staff pages, the navigation kept
  for (const url of ["/library/999999", "/library/documents/999999"]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation").getByRole("link", { name: "段落库" })).toBeVisible();
  }
  // a form posted with such an id is refused, not a 500
  const origin = new URL(page.url()).origin;
  const marked = await page.request.post("/notifications", { form: { intent: "one", id: "1e10" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(marked.status()).toBe(400);
  // a page of the list past its end (the list shrank since): said so, with the way back
  await page.goto("/proposals?page=500");
  await expect(page.getByText("这一页没有提案：见下方的页码。")).toBeVisible();
  await expect(page.getByText(/没有第 500 页（共 \d+ 页）/)).toBeVisible();
  await snap(page, "list-page-past-end");
  await page.getByRole("link", { name: /回到第 \d+ 页/ }).click();
  await expect(page.getByRole("table").getByRole("row")).not.toHaveCount(2);
});

test("links in lists and the header open pages in place; the header marks the current page; Ctrl+click still opens a tab", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/");
  // set on the first page: still there only if no link below reloaded the document
  await page.evaluate(() => Object.assign(window, { samePage: true }));
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "工作台" })).toHaveAttribute("aria-current", "page");

  // the home page's counts by state
  await page.locator('a[href^="/proposals?state="]').first().click();
  await expect(page).toHaveURL(/\/proposals\?state=/);
  await nav.getByRole("link", { name: "提案", exact: true }).click();
  await expect(page).toHaveURL(/\/proposals$/);
  await expect(nav.getByRole("link", { name: "提案", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "工作台" })).not.toHaveAttribute("aria-current", "page");

  // a row of the proposal list; a new tab on Ctrl+click, the list stays
  const row = page.getByRole("link", { name: "第10121号" });
  const [tab] = await Promise.all([page.context().waitForEvent("page"), row.click({ modifiers: ["Control"] })]);
  await expect(tab).toHaveURL(/\/proposals\/\d+$/);
  await tab.close();
  await expect(page).toHaveURL(/\/proposals$/);
  await row.click();
  await expect(page.getByRole("heading", { name: "第10121号提案" })).toBeVisible();

  // 推荐段落 on the proposal page, then the library's result list
  await page.getByRole("region", { name: "推荐段落" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/library\/\d+$/);
  await nav.getByRole("link", { name: "段落库" }).click();
  await page.getByRole("searchbox", { name: "搜索" }).fill("专精特新");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByText(/按相关度列出前/)).toBeVisible();
  const first = page.getByTestId("library-result").first().getByRole("link").first();
  const title = (await first.textContent()) ?? "";
  await first.click();
  await expect(page).toHaveURL(/\/library\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title.slice(0, 8));
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
});

test("the first Tab stop on a signed-in page skips the header's links to the page", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/notifications");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到正文" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("修改登记信息 with JavaScript, after a colleague's save: what only they changed is kept on the page and saved; a field both changed is named beside it", async ({
  page,
  browser,
}) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals?q=30302");
  await page.getByRole("link", { name: "第30302号" }).click();
  await page.waitForURL(/\/proposals\/\d+$/);
  const editUrl = `${page.url()}/edit`;
  await page.goto(editUrl);
  await colleagueSaves(browser, editUrl, { 案由: "关于优化工业用地保障的建议（同事）", 备注: "同事补充的备注" });
  await page.getByLabel("案由").fill("关于优化工业用地保障的建议（本人）");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("刚被其他人改为：关于优化工业用地保障的建议（同事）")).toBeVisible();
  await expect(page.getByLabel("案由")).toHaveValue("关于优化工业用地保障的建议（本人）");
  await expect(page.getByLabel("备注")).toHaveValue("同事补充的备注");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存")).toBeVisible();
  const details = page.locator("dl").first();
  await expect(details.getByText("关于优化工业用地保障的建议（本人）")).toBeVisible();
  await expect(details.getByText("同事补充的备注")).toBeVisible();
});

test("管理 → 会议: a misspelt 会议 is corrected for its proposals at once; a name another 会议 has is refused beside the field, the typing kept", async ({ page }) => {
  await signIn(page, "chenmin");
  await page.goto("/proposals/new");
  await fillRegistration(page, { number: "39320", title: "关于会议名称写错的建议", proposer: "周一", kind: "member", meeting: "东莞市政协第十四届六次会义" });
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByRole("heading", { name: "第39320号提案" })).toBeVisible();
  const proposal = page.url().replace(/\?.*$/, "");

  await page.goto("/admin");
  await page.getByRole("link", { name: "会议", exact: true }).click();
  const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "东莞市政协第十四届六次会义", exact: true }) });
  await expect(row).toContainText("1 件提案，交办日期 2026-11-02");
  const name = row.getByLabel("改名为");
  await name.fill("东莞市政协第十四届五次会议");
  await row.getByRole("button", { name: "改名" }).click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/已有会议“东莞市政协第十四届五次会议”。如两者是同一会议，请用“合并到”/);
  await expect(name).toHaveValue("东莞市政协第十四届五次会议");
  // a bracketed year alone names no meeting (it went out on the published replies)
  await name.fill("（2026）");
  await row.getByRole("button", { name: "改名" }).click();
  await expect(name).toHaveAccessibleDescription("会议名称应写出会议，如 东莞市政协第十三届六次会议");
  await name.fill("东莞市政协第十四届六次会议");
  await row.getByRole("button", { name: "改名" }).click();
  await expect(page.getByRole("status")).toHaveText("已改名：1 件提案已更新，并已记入各提案的办理历史。");
  await expect(page.getByRole("heading", { name: "东莞市政协第十四届六次会议", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "东莞市政协第十四届六次会义", exact: true })).toHaveCount(0);
  await snap(page, "admin-meetings");

  await page.goto(proposal);
  await expect(page.getByText("东莞市政协第十四届六次会议", { exact: true }).first()).toBeVisible();
  const history = page.locator("section", { has: page.getByRole("heading", { name: "办理历史" }) });
  await expect(history).toContainText("会议更名");
  await expect(history).toContainText("东莞市政协第十四届六次会义");
  await signOut(page);
});

test("a second server on a port already taken, or with an unknown LETTER_TEMPLATE, stops with a Chinese line naming the setting (a stack trace before)", async ({ baseURL }) => {
  const { spawnSync } = await import("node:child_process");
  const os = await import("node:os");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-second-"));
  try {
    const start = (env: Record<string, string>) => {
      const { DATABASE_URL: _db, ...base } = process.env;
      return spawnSync(process.execPath, ["build/start.mjs"], {
        env: { ...base, DATA_DIR: dataDir, HOST: "127.0.0.1", NODE_ENV: "production", ...env },
        encoding: "utf8",
        timeout: 90_000,
      });
    };
    const port = new URL(baseURL!).port;
    const taken = start({ PORT: port });
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain(`端口 ${port} 已被占用（PORT）：请换一个端口，或先停止占用它的程序。`);
    expect(taken.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // an install without demo data and without accounts is told how to make the first one
    const { spawn } = await import("node:child_process");
    const { DATABASE_URL: _db, ...base } = process.env;
    const fresh = spawn(process.execPath, ["build/start.mjs"], {
      env: { ...base, DATA_DIR: path.join(dataDir, "fresh"), DEMO_DATA: "0", HOST: "127.0.0.1", PORT: String(Number(port) + 1000), NODE_ENV: "production" },
    });
    let out = "";
    fresh.stdout.on("data", (d) => (out += String(d)));
    await expect.poll(() => out, { timeout: 60_000 }).toContain("未加载演示数据");
    fresh.kill("SIGTERM");
    expect(out).toContain("未加载演示数据，还没有任何账号。创建第一个管理员账号：npm run cli -- user:create");
    const template = start({ PORT: "65000", LETTER_TEMPLATE: "nope" }); // refused before it listens
    expect(template.status).toBe(1);
    expect(template.stderr).toContain("LETTER_TEMPLATE: 没有 id 为“nope”的公文模板（templates/ 下有：");
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
