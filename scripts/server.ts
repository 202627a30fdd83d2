/**
 * The HTTP server: express + Remix's request handler. A small custom server (instead of
 * remix-serve) because the app needs the client address for sign-in throttling, one
 * process that owns the embedded database, and a few security headers.
 * See docs/decisions/002-remix-classic-compiler.md.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "drizzle-orm";
import express from "express";
import { getDb } from "../db/client.server";
import { withoutParameters } from "../db/errors";
import type { AppConfig } from "../app/config.server";
import { checkBodySize, checkMethod, checkOrigin, checkUrl, refusalPage } from "../app/http/request-guards";
import { CLIENT_ADDRESS_HEADER } from "../app/http/client-address";
import { withRequestScope } from "../app/http/request-scope.server";
import { createPageCache, type PageCacheTicket } from "../app/http/page-cache.server";
import type { Db } from "../db/client.server";
import { createRequestHandler } from "./remix-handler";

export const BUILD_PATH = path.resolve("build/index.js");

/** Methods a refusal may answer with a page (a browser's navigation). */
const SAFE_PAGE_METHODS = new Set(["GET", "HEAD"]);

/** Style attributes stay allowed (the letter preview scales with style="zoom"); scripts need the nonce. */
export function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** /readyz: the database answers within this time, else the instance is taken out of rotation. */
const READY_TIMEOUT_MS = 2000;

export async function createServer(config: AppConfig) {
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");

  // For load balancers, before any other work: /healthz says the process serves HTTP (no
  // database work); /readyz says it can serve pages (the database answers a query).
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  app.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain");
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`数据库 ${READY_TIMEOUT_MS} ms 内无响应`)), READY_TIMEOUT_MS);
      });
      await Promise.race([getDb().then((db) => db.execute(sql`select 1`)), timeout]);
      res.send("ready");
    } catch (e) {
      // the database's own reason (drizzle's "Failed query: select 1" hid it)
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
      res.status(503).send(`not ready: ${cause instanceof Error ? cause.message : String(cause)}`);
    } finally {
      clearTimeout(timer);
    }
  });
  // A hop count, never `true`: with `true` express takes the left-most X-Forwarded-For entry, which
  // the client writes itself (a forged address per try beat the sign-in limits).
  if (config.TRUST_PROXY) app.set("trust proxy", config.TRUST_PROXY);

  app.use((req, res, next) => {
    // The client's address for the audit log, as this server sees it (a client's own value is overwritten).
    req.headers[CLIENT_ADDRESS_HEADER] = (config.TRUST_PROXY ? req.ip : req.socket.remoteAddress) ?? "unknown";
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    // Only this site's scripts, and the inline ones Remix writes with this response's nonce.
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    // A 304 updates the browser's stored headers but keeps the stored page: a fresh nonce there
    // would no longer match the page's inline scripts. The stored page keeps its own policy.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => typeof res;
    res.writeHead = ((statusCode: number, ...rest: unknown[]) => {
      if (statusCode === 304) res.removeHeader("Content-Security-Policy");
      return writeHead(statusCode, ...rest);
    }) as typeof res.writeHead;
    // Signed-in pages are never stored by the browser or a proxy (static assets set their own caching below).
    if (/(?:^|;\s*)prd_session=/.test(req.get("cookie") ?? "")) res.setHeader("Cache-Control", "private, no-store");
    // Methods, CSRF and body size: refused before anything reads the body (app/http/request-guards.ts).
    const refusal =
      checkUrl(req.originalUrl) ??
      checkMethod(req.method, req.path) ??
      checkOrigin({ method: req.method, origin: req.get("origin"), host: (config.TRUST_PROXY && req.get("x-forwarded-host")) || req.get("host") }) ??
      checkBodySize({
        method: req.method,
        path: req.path,
        contentType: req.get("content-type"),
        contentLength: req.get("content-length"),
        transferEncoding: req.get("transfer-encoding"),
        maxUploadMb: config.MAX_UPLOAD_MB,
      });
    if (refusal) {
      // Discard (not buffer) what the client is still sending, so it reads the answer instead of a
      // broken pipe; a client that keeps sending far past the cap is cut off.
      let discarded = 0;
      req.on("data", (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > 64 * 1024 * 1024) req.destroy();
      });
      req.resume();
      if ("allow" in refusal) res.set("Allow", refusal.allow);
      // the answer depends on Accept (a page or a line) and on nothing worth keeping
      res.set({ Vary: "Accept", "Cache-Control": "no-store" });
      if (refusal.status === 204) res.status(204).end();
      // a page for a browser's navigation (Accept: text/html), the plain message for anything else
      else if (SAFE_PAGE_METHODS.has(req.method) && req.accepts(["text/plain", "text/html"]) === "text/html")
        res.status(refusal.status).type("text/html; charset=utf-8").send(refusalPage(refusal));
      else res.status(refusal.status).type("text/plain; charset=utf-8").send(refusal.message);
      return;
    }
    next();
  });

  // public/ holds only the compiled assets (public/build). No catch-all static mount: it stat()ed
  // the file system, and built an Error for the miss, on every page request.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Pages kept as rendered while the database has not changed (app/http/page-cache.server.ts).
  const pages = createPageCache(config.PAGE_CACHE_MB);
  const remix = createRequestHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req, res) => ({
      clientAddress: (config.TRUST_PROXY ? req.ip : req.socket.remoteAddress) ?? "unknown",
      cspNonce: res.locals.cspNonce as string,
      pageCache: res.locals.pageCache as PageCacheTicket | undefined,
    }),
    bodyTo: (res, response) => {
      const ticket = res.locals.pageCache as PageCacheTicket | undefined;
      const db = res.locals.pageCacheDb as Db | undefined;
      if (!ticket || !db) return undefined;
      // Decided by the render before the response was made (entry.server.tsx); a file download or a
      // page that is not kept is never copied (an export's ZIP streams without being held whole)
      if (!ticket.keep) {
        ticket.settle();
        return undefined;
      }
      return { maxBytes: pages.maxPageBytes, receive: (body) => pages.keep(db, ticket, { status: response.status, headers: [...response.headers.entries()], body }) };
    },
  });
  // one scope per page request: its loaders share what they look up once (the session's user)
  app.all("*", (req, res, next) =>
    withRequestScope(req.method, async () => {
      const signedIn = /(?:^|;\s*)prd_session=/.test(req.get("cookie") ?? "");
      const publicList = req.path === "/public" && !req.get("if-none-match");
      if (pages.enabled && req.method === "GET" && !req.path.endsWith(".data") && (signedIn || publicList)) {
        try {
          const db = await getDb();
          // the address with what else a page may depend on: the host its absolute links are made from
          const url = `${req.get("host")}|${req.get("x-forwarded-host")}|${req.get("x-forwarded-proto")}|${req.originalUrl}`;
          const plan = await pages.plan(db, { cookie: signedIn ? (req.get("cookie") ?? null) : null, url, nonce: res.locals.cspNonce as string });
          if (plan && "hit" in plan) {
            const body = pages.body(plan.hit, res.locals.cspNonce as string);
            res.status(plan.hit.status);
            for (const [name, value] of plan.hit.headers) if (!/^(content-length|transfer-encoding|connection)$/i.test(name)) res.append(name, value);
            res.setHeader("Content-Length", body.length);
            // said to whoever looks (the browser's network panel, the tests): this page was not rendered again
            res.setHeader("Server-Timing", "kept");
            res.end(body);
            return;
          }
          if (plan) {
            res.locals.pageCache = plan.ticket;
            res.locals.pageCacheDb = db;
            // whatever becomes of the response, requests waiting for this render go on (a client
            // gone while the plan was read has closed it already: its 'close' would never come)
            if (res.destroyed || req.socket.destroyed) plan.ticket.settle();
            else res.once("close", plan.ticket.settle);
          }
        } catch (e) {
          // rendered as if nothing were kept (a database that fails shows on the page itself)
          console.error("已存页面不可用：", withoutParameters(e));
        }
      }
      return remix(req, res, next);
    }),
  );
  return app;
}
