/**
 * The e2e `test`: every HTML page any test loads (in its own page or in contexts it makes) is
 * scanned for NUL bytes and U+FFFD — React 18's streaming renderer padded chunks with NULs that
 * browsers show as "�" and textareas saved back into drafts (app/react-stream-padding.server.ts).
 */
import { test as base, expect, type BrowserContext, type Response } from "@playwright/test";

async function scan(response: Response, found: string[]) {
  if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) return;
  let body: Buffer;
  try {
    body = await response.body();
  } catch {
    return; // redirects and aborted navigations have no body
  }
  const nul = body.indexOf(0);
  if (nul >= 0) found.push(`${response.url()}: NUL 字节，偏移 ${nul}`);
  const fffd = body.toString("utf8").indexOf("\uFFFD");
  if (fffd >= 0) found.push(`${response.url()}: U+FFFD，位置 ${fffd}`);
}

/** The servers tests/e2e/run.ts started, one per worker, each on a database of its own. */
const servers = (process.env.E2E_BASE_URLS ?? "").split(",").filter(Boolean);

// biome-ignore lint/suspicious/noConfusingVoidType: Playwright's type for an automatic fixture that provides nothing
export const test = base.extend<{ pageBytesGuard: void }>({
  // the worker's own server: pages, contexts a test makes and `request` all go there
  baseURL: async ({ baseURL }, use, testInfo) => {
    await use(servers.length ? servers[testInfo.parallelIndex % servers.length] : baseURL);
  },
  pageBytesGuard: [
    async ({ context, browser }, use) => {
      const found: string[] = [];
      const pending: Promise<void>[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on("response", (r) => pending.push(scan(r, found)));
        // A script the Content-Security-Policy blocked is a page that silently lost its JavaScript.
        ctx.on("console", (m) => {
          if (/Content.Security.Policy/i.test(m.text())) found.push(`CSP: ${m.text().slice(0, 200)}`);
        });
      };
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const ctx = await newContext(...args);
        watch(ctx);
        return ctx;
      };
      await use();
      browser.newContext = newContext;
      await Promise.allSettled(pending);
      expect(found, "页面中不应有 NUL 字节或 U+FFFD，也不应有被内容安全策略拦截的脚本").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";
