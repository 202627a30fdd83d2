/**
 * Pages kept as rendered, per session and address, and served again while nothing in the database
 * has changed (decision 012, twelfth round). At 10,000 proposals most of a page's cost is React
 * rendering its rows, not the queries: a page served from here costs one query.
 *
 * Never stale: every statement writing an app table takes a number from `data_change_seq`
 * (migration 0037), and a page is kept under the number read *before* its loaders ran, only when no
 * writing transaction was in progress just after that read — so every write the number counts had
 * committed before the loaders read. A page is served while the number is unchanged, the session is
 * one lucia takes as it is, and within the same minute (the date and times a page shows). With
 * several instances each keeps its own pages; the number is the database's.
 *
 * Which pages: those whose every route module says `handle = { pageCache: true }` — pages that
 * read only the database, the user and the address, and write nothing when read. Documents only
 * (not the `.data` requests of client-side navigation), GET only, a 200 without Set-Cookie. The
 * public list is kept too, once for all visitors without a session (one asking "has it changed?"
 * with If-None-Match is answered by the page's own ETag instead).
 */
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "#db/client.server";
import { sessionIdInCookie, slidesBefore } from "~/auth/lucia.server";
import { rowsOf } from "~/models/library-search.server";

/** A page as rendered: its body cut at the CSP nonce it was rendered with (each response has its own). */
export type KeptPage = { stamp: string; minute: number; status: number; headers: [string, string][]; parts: Buffer[]; size: number };

/**
 * What the request may keep once rendered: set by `plan`, `keep` decided by the render
 * (entry.server.tsx); `settle` when its response has ended (kept or not), for requests waiting on it.
 */
export type PageCacheTicket = { key: string; stamp: string; minute: number; nonce: string; keep: boolean; settle: () => void };

/**
 * After a write, the clients of a busy page all missed at once and each rendered the same page (on
 * PGlite, whose queries share the event loop, a write a second took the list's p95 from 51 to 828
 * ms): a request finding the same page being rendered under the same stamp waits for that render,
 * up to this long, and is then served what it kept.
 */
const WAIT_FOR_RENDER_MS = 2000;

/** Pages larger than this are not kept (the home page is ~35 KB, a 50-row list ~100 KB). */
const MAX_PAGE_BYTES = 1024 * 1024;

const minuteOf = (now: number) => Math.floor(now / 60_000);

/** The stamp: the sequence's last number (and whether it was ever taken, for a new database). */
const STAMP = sql.raw("select last_value::text || case when is_called then '' else '-' end from data_change_seq");

export function createPageCache(megabytes: number) {
  const perDb = new WeakMap<Db, LRUCache<string, KeptPage>>();
  // (never called with 0 MB: the server asks `enabled` first)
  const cacheOf = (db: Db) => {
    let c = perDb.get(db);
    if (!c) perDb.set(db, (c = new LRUCache<string, KeptPage>({ maxSize: megabytes * 1024 * 1024, sizeCalculation: (p) => p.size + 256 })));
    return c;
  };

  const renderingPerDb = new WeakMap<Db, Map<string, { stamp: string; minute: number; done: Promise<void> }>>();
  const renderingOf = (db: Db) => {
    let m = renderingPerDb.get(db);
    if (!m) renderingPerDb.set(db, (m = new Map()));
    return m;
  };
  const current = (db: Db, key: string, stamp: string, minute: number) => {
    const kept = cacheOf(db).get(key);
    return kept && kept.stamp === stamp && kept.minute === minute ? kept : undefined;
  };

  return {
    enabled: megabytes > 0,
    maxPageBytes: MAX_PAGE_BYTES,

    /**
     * A kept page to send, or a ticket to keep this one, or neither. `url` is the path and query
     * as requested, with what else the page depends on (the host, for absolute links); `cookie`
     * is null for a visitor without a session (GET documents of the public site only).
     */
    async plan(db: Db, r: { cookie: string | null; url: string; nonce: string; now?: number }): Promise<{ hit: KeptPage } | { ticket: PageCacheTicket } | null> {
      // a visitor without a session (the public site) shares the pages of all such visitors
      const sessionId = r.cookie === null ? "" : await sessionIdInCookie(r.cookie);
      if (sessionId === null) return null;
      const now = r.now ?? Date.now();
      const [row] = await rowsOf<{ stamp: string; fresh: boolean | null }>(
        db,
        sessionId
          ? sql`select (${STAMP}) as stamp, (select expires_at > ${slidesBefore(now).toISOString()}::timestamptz from sessions where id = ${sessionId}) as fresh`
          : sql`select (${STAMP}) as stamp, true as fresh`,
      );
      // no session, or one lucia would end or slide: through the app, which answers and refreshes it
      if (!row?.fresh) return null;
      const key = `${sessionId}\n${r.url}`;
      const minute = minuteOf(now);
      const kept = current(db, key, row.stamp, minute);
      if (kept) return { hit: kept };
      const rendering = renderingOf(db);
      const under = rendering.get(key);
      if (under && under.stamp === row.stamp && under.minute === minute) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([under.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, WAIT_FOR_RENDER_MS)))]);
        clearTimeout(timer);
        const rendered = current(db, key, row.stamp, minute);
        if (rendered) return { hit: rendered };
      }
      // Kept only if every write the stamp counts has committed: no writing transaction in
      // progress now, after the stamp was read (read committed: the loaders' reads come later still).
      const [busy] = await rowsOf<{ busy: boolean }>(db, sql`select data_writes_in_progress() as busy`);
      if (busy?.busy !== false) return null;
      // the first render of this page under this stamp is the one others wait for
      const other = rendering.get(key);
      let settle = () => {};
      if (!other || other.stamp !== row.stamp || other.minute !== minute) {
        let done!: () => void;
        const mine = { stamp: row.stamp, minute, done: new Promise<void>((resolve) => (done = resolve)) };
        rendering.set(key, mine);
        settle = () => {
          if (rendering.get(key) === mine) rendering.delete(key);
          done();
        };
      }
      return { ticket: { key, stamp: row.stamp, minute, nonce: r.nonce, keep: false, settle } };
    },

    /** Keep a rendered page (the ticket's render said it may be kept). */
    keep(db: Db, ticket: PageCacheTicket, page: { status: number; headers: [string, string][]; body: Buffer }) {
      try {
        if (!ticket.keep || page.status !== 200 || page.body.length > MAX_PAGE_BYTES || !ticket.nonce) return;
        if (page.headers.some(([name]) => name.toLowerCase() === "set-cookie")) return;
        const parts = splitBuffer(page.body, Buffer.from(ticket.nonce));
        cacheOf(db).set(ticket.key, { stamp: ticket.stamp, minute: ticket.minute, status: page.status, headers: page.headers, parts, size: page.body.length });
      } finally {
        ticket.settle();
      }
    },

    /** A kept page's body with this response's nonce. */
    body(page: KeptPage, nonce: string): Buffer {
      const n = Buffer.from(nonce);
      const pieces: Buffer[] = [];
      page.parts.forEach((p, i) => {
        if (i > 0) pieces.push(n);
        pieces.push(p);
      });
      return Buffer.concat(pieces);
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;

function splitBuffer(body: Buffer, needle: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** Whether every route the page matched takes part (their modules' `handle.pageCache`). */
export function routesAllowKeeping(routeIds: string[], modules: Record<string, { handle?: unknown } | undefined>): boolean {
  return routeIds.length > 0 && routeIds.every((id) => (modules[id]?.handle as { pageCache?: boolean } | undefined)?.pageCache === true);
}
