/**
 * The authorization matrix: every route file in app/routes × every role (anonymous included)
 * × own/other proposal, requested as each would, compared with the rule written here. A route
 * added without a rule fails this test, so nobody forgets to decide who may open it.
 * (GET: what loaders show. Actions are covered by each feature's own tests.)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD } from "./helpers";

const hasSoffice = spawnSync("sh", ["-c", "command -v soffice"], { stdio: "ignore" }).status === 0;
type Who = "anonymous" | "admin" | "registrar" | "handler" | "otherHandler" | "leader" | "viewer";
type Outcome = "ok" | "login" | "403" | "404" | "503" | `redirect:${string}`;
const ACCOUNTS: Record<Exclude<Who, "anonymous">, string> = {
  admin: "admin",
  registrar: "chenmin",
  handler: "liyong",
  otherHandler: "wangfang",
  leader: "zhanzhibin",
  viewer: "zhaoxiao",
};
const WHO: Who[] = ["anonymous", "admin", "registrar", "handler", "otherHandler", "leader", "viewer"];

/** Proposal 1 is 第10121号 (letter 108), assigned to 李泳 (handler); 王芳 (otherHandler) has none. */
const everyone = (o: Outcome): Record<Who, Outcome> => Object.fromEntries(WHO.map((w) => [w, o])) as Record<Who, Outcome>;
const signedIn = (others: Partial<Record<Who, Outcome>> = {}): Record<Who, Outcome> => ({ ...everyone("ok"), anonymous: "login", ...others });
const only = (allowed: Who[], refused: Outcome = "403"): Record<Who, Outcome> =>
  Object.fromEntries(WHO.map((w) => [w, w === "anonymous" ? "login" : allowed.includes(w) ? "ok" : refused])) as Record<Who, Outcome>;
const ownProposal = signedIn({ otherHandler: "404" });

const RULES: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
  "_app._index": { path: "/", expect: signedIn() },
  "_app.account": { path: "/account", expect: signedIn() },
  "_app.admin._index": { path: "/admin", expect: only(["admin", "registrar"]) },
  "_app.admin.audit": { path: "/admin/audit", expect: only(["admin"]) },
  "_app.admin.calendar": { path: "/admin/calendar", expect: only(["admin"]) },
  "_app.admin.deadlines": { path: "/admin/deadlines", expect: only(["admin"]) },
  "_app.admin.meetings": { path: "/admin/meetings", expect: only(["admin", "registrar"]) },
  "_app.admin.numbers": { path: "/admin/numbers", expect: only(["admin"]) },
  "_app.admin.redactions": { path: "/admin/redactions", expect: only(["admin", "registrar"]) },
  "_app.admin.users.$id": { path: "/admin/users/no-such-user", expect: { ...only([]), admin: "404" } },
  "_app.admin.users._index": { path: "/admin/users", expect: only(["admin"]) },
  "_app.letters.export": { path: "/letters/export", expect: only(["admin", "registrar"]) },
  "_app.library.$id": { path: "/library/1", expect: signedIn() },
  "_app.library._index": { path: "/library", expect: signedIn() },
  "_app.library.documents.$id": { path: "/library/documents/1", expect: signedIn() },
  "_app.library.import": { path: "/library/import", expect: only(["admin", "registrar", "handler", "otherHandler"]) },
  "_app.notifications": { path: "/notifications", expect: signedIn() },
  "_app.proposals.$id._index": { path: "/proposals/1", expect: ownProposal },
  "_app.proposals.$id.edit": { path: "/proposals/1/edit", expect: only(["admin", "registrar"]) },
  "_app.proposals.$id.letter": { path: "/proposals/1/letter", expect: ownProposal },
  "_app.proposals._index": { path: "/proposals", expect: signedIn() },
  "_app.proposals.import": { path: "/proposals/import", expect: only(["admin", "registrar"]) },
  "_app.proposals.new": { path: "/proposals/new", expect: only(["admin", "registrar"]) },
  "_app.stats": { path: "/stats", expect: only(["admin", "registrar", "leader", "viewer"]) },
  "admin.audit[.]csv": { path: "/admin/audit.csv", expect: only(["admin"]) },
  "deadlines[.]csv": { path: "/deadlines.csv", expect: signedIn() },
  "deadlines[.]ics": { path: "/deadlines.ics", expect: signedIn() },
  "deadlines[.]xlsx": { path: "/deadlines.xlsx", expect: signedIn() },
  "letters.export[.]zip": { path: `/letters/export.zip?meeting=${encodeURIComponent("东莞市政协第十三届六次会议")}`, expect: only(["admin", "registrar"]) },
  "stats[.]xlsx": { path: "/stats.xlsx?year=2026", expect: only(["admin", "registrar", "leader", "viewer"]) },
  "library.documents.$id.file": { path: "/library/documents/1/file", expect: signedIn() },
  login: { path: "/login", expect: { ...everyone("redirect:/"), anonymous: "ok" } },
  logout: { path: "/logout", expect: everyone("redirect:/") },
  // No demo proposal has an uploaded original: the route answers 404 to everyone, and the login to strangers.
  "proposals.$id.files.$fileId": { path: "/proposals/1/files/1", expect: { ...everyone("404"), anonymous: "login" } },
  "proposals.$id.letter[.]docx": { path: "/proposals/1/letter.docx", expect: ownProposal },
  "proposals.$id.letter[.]pdf": {
    path: "/proposals/1/letter.pdf",
    expect: hasSoffice
      ? ownProposal
      : signedIn({ otherHandler: "404", ...Object.fromEntries(WHO.filter((w) => w !== "anonymous" && w !== "otherHandler").map((w) => [w, "503"])) }),
  },
  "proposals.$id.letter.print[.]json": { path: "/proposals/1/letter/print.json", expect: ownProposal },
  // a page picture exists only under the key of the proposal's current letter (letters.spec.ts fetches a real one)
  "proposals.$id.letter.print.$key.$page[.]png": { path: "/proposals/1/letter/print/0123456789abcdef0123456789abcdef/1.png", expect: { ...everyone("404"), anonymous: "login" } },
  "proposals.import.template[.]xlsx": { path: "/proposals/import/template.xlsx", expect: only(["admin", "registrar"]) },
  // The demo publishes letter 108 (proposal 1) and not 109 (proposal 2, 依申请公开): the public site is the same for everyone.
  "public.$id": { path: "/public/1", expect: everyone("ok") },
  "public.$id[.]docx": { path: "/public/1.docx", expect: everyone("ok") },
  // PDF where LibreOffice is installed (always in CI); otherwise the route says so with a 503.
  "public.$id[.]pdf": { path: "/public/1.pdf", expect: everyone(hasSoffice ? "ok" : "503") },
  "public._index": { path: "/public", expect: everyone("ok") },
  "public.feed[.]atom": { path: "/public/feed.atom", expect: everyone("ok") },
  "public.replies[.]json": { path: "/public/replies.json", expect: everyone("ok") },
};
/** Not pages: the signed-in layout (checked through its children) and the catch-all 404. */
const NOT_PAGES = new Set(["_app", "$"]);

const routeIds = fs
  .readdirSync("app/routes", { withFileTypes: true })
  .map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.tsx?$/, "")))
  .filter((id) => !NOT_PAGES.has(id));

async function outcome(request: APIRequestContext, path: string): Promise<Outcome> {
  const r = await request.get(path, { maxRedirects: 0 });
  const loc = r.headers().location ?? "";
  if (r.status() === 200) return "ok";
  if ([301, 302, 303].includes(r.status())) return loc.startsWith("/login") ? "login" : `redirect:${loc}`;
  return String(r.status()) as Outcome;
}

test("every route has an access rule, and every role gets exactly what the rule says", async ({ playwright, baseURL }) => {
  expect(
    routeIds.filter((id) => !RULES[id]),
    "这些路由还没有访问规则：请在 tests/e2e/access.spec.ts 中写明谁可以打开",
  ).toEqual([]);
  const seen: Record<string, Record<Who, Outcome>> = {};
  for (const who of WHO) {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: new URL(baseURL!).origin } });
    if (who !== "anonymous") {
      const r = await request.post("/login", { form: { username: ACCOUNTS[who], password: DEMO_PASSWORD }, maxRedirects: 0 });
      expect(r.status(), `${who} 登录`).toBe(302);
    }
    for (const id of routeIds) {
      seen[id] ??= {} as Record<Who, Outcome>;
      seen[id]![who] = await outcome(request, RULES[id]!.path);
    }
    await request.dispose();
  }
  for (const id of routeIds) expect(seen[id], `${id}（${RULES[id]!.path}）`).toEqual(RULES[id]!.expect);
});
