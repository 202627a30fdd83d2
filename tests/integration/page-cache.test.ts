/**
 * Signed-in pages kept as rendered (app/http/page-cache.server.ts): served again only while the
 * database's change stamp has not moved and the session is one lucia takes as it is; never kept
 * from a render that may have missed a write in progress.
 */
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase, setDbHandle } from "#db/client.server";
import { proposals, sessions } from "#db/schema";
import { startSession } from "~/auth/lucia.server";
import { createPageCache, type PageCacheTicket } from "~/http/page-cache.server";
import { rowsOf } from "~/models/library-search.server";
import { createUser } from "~/models/user.server";
import { ADMIN_URL, availableDatabases, createPostgresDatabase, postgresUnavailable } from "../support/databases";

const page = (text: string) => ({ status: 200, headers: [["content-type", "text/html; charset=utf-8"]] as [string, string][], body: Buffer.from(text) });

/** Render-and-keep as the server does: plan, then keep what the render produced if the plan allows. */
async function visit(cache: ReturnType<typeof createPageCache>, h: DbHandle, cookie: string, url: string, nonce: string, render: (nonce: string) => string, now?: number) {
  const plan = await cache.plan(h.db, { cookie, url, nonce, now });
  if (plan && "hit" in plan) return { kept: true, body: cache.body(plan.hit, nonce).toString() };
  const body = render(nonce);
  if (plan) {
    const ticket: PageCacheTicket = { ...plan.ticket, keep: true };
    cache.keep(h.db, ticket, page(body));
  }
  return { kept: false, body, ticket: plan ? plan.ticket : null };
}

describe.each(await availableDatabases())("pages kept as rendered on $name", (database) => {
  let h: DbHandle;
  let cookie: string;
  let sessionId: string;
  let proposalId: number;
  const title = async () => (await h.db.select({ t: proposals.title }).from(proposals).where(eq(proposals.id, proposalId)))[0]!.t;

  beforeAll(async () => {
    h = await database.openWithDemo();
    setDbHandle(h);
    const user = await createUser(h.db, { username: "pagekeeper", displayName: "页测", role: "admin", phone: null, password: "correct horse battery" });
    cookie = (await startSession(user)).split(";")[0]!;
    sessionId = cookie.split("=")[1]!;
    proposalId = (await h.db.select({ id: proposals.id }).from(proposals).orderBy(proposals.id).limit(1))[0]!.id;
  });
  afterAll(() => h?.close());

  /** One page view: the title rendered now, or the kept copy. */
  const view = async (cache: ReturnType<typeof createPageCache>, url = "/proposals", nonce = "N1", now?: number) => {
    const text = await title();
    return visit(cache, h, cookie, url, nonce, (n) => `<script nonce="${n}">x</script><p>${text}</p><script nonce="${n}">y</script>`, now);
  };

  it("serves a kept page again with this response's nonce, and renders it again after any write to the data", async () => {
    const cache = createPageCache(8);
    const first = await view(cache, "/proposals", "AAAA");
    expect(first.kept).toBe(false);
    const again = await view(cache, "/proposals", "BBBB");
    expect(again.kept).toBe(true);
    // the body as rendered, with the new nonce everywhere the old one was
    expect(again.body).toBe(first.body.replaceAll("AAAA", "BBBB"));
    // another address is another page
    expect((await view(cache, "/proposals?page=2")).kept).toBe(false);
    // a write through any connection (here a plain UPDATE, as another instance would make)
    await h.db
      .update(proposals)
      .set({ title: sql`${proposals.title} || '（改）'` })
      .where(eq(proposals.id, proposalId));
    const changed = await view(cache, "/proposals", "CCCC");
    expect(changed.kept).toBe(false);
    expect(changed.body).toContain("（改）");
    expect((await view(cache, "/proposals", "DDDD")).body).toContain("（改）");
  });

  it("keeps the public list once for every visitor without a session, under the same stamp", async () => {
    const cache = createPageCache(8);
    const anon = async (nonce: string) => {
      const text = await title();
      const plan = await cache.plan(h.db, { cookie: null, url: "h|||/public", nonce });
      if (plan && "hit" in plan) return { kept: true, body: cache.body(plan.hit, nonce).toString() };
      if (plan) cache.keep(h.db, { ...plan.ticket, keep: true }, page(`<p nonce="${nonce}">${text}</p>`));
      return { kept: false, body: text };
    };
    expect((await anon("A")).kept).toBe(false);
    expect(await anon("B")).toMatchObject({ kept: true, body: expect.stringContaining('nonce="B"') });
    // a signed-in user's page under the same address is another page
    expect((await view(cache, "h|||/public")).kept).toBe(false);
    await h.db
      .update(proposals)
      .set({ title: sql`${proposals.title} || '（再改）'` })
      .where(eq(proposals.id, proposalId));
    expect((await anon("C")).kept).toBe(false);
  });

  it("a request for a page being rendered under the same stamp waits for that render and is served what it kept", async () => {
    const cache = createPageCache(8);
    const first = await cache.plan(h.db, { cookie, url: "/together", nonce: "N1" });
    if (!first || !("ticket" in first)) throw new Error("expected a ticket");
    let secondDone = false;
    const second = cache.plan(h.db, { cookie, url: "/together", nonce: "N2" }).then((p) => {
      secondDone = true;
      return p;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(secondDone).toBe(false);
    cache.keep(h.db, { ...first.ticket, keep: true }, page(`<p nonce="N1">together</p>`));
    const p = await second;
    if (!p || !("hit" in p)) throw new Error("expected the kept page");
    expect(cache.body(p.hit, "N2").toString()).toBe(`<p nonce="N2">together</p>`);
    // a render that keeps nothing (an error page) lets the waiting request render its own
    const third = await cache.plan(h.db, { cookie, url: "/together?x", nonce: "N" });
    if (!third || !("ticket" in third)) throw new Error("expected a ticket");
    const fourth = cache.plan(h.db, { cookie, url: "/together?x", nonce: "N" });
    third.ticket.settle();
    expect(await fourth).toHaveProperty("ticket");
  });

  it("a TRUNCATE and a DELETE move the stamp too (a restore empties tables)", async () => {
    const cache = createPageCache(8);
    await view(cache);
    expect((await view(cache)).kept).toBe(true);
    await h.db.execute(sql`truncate table redaction_rules`);
    expect((await view(cache)).kept).toBe(false);
    expect((await view(cache)).kept).toBe(true);
    await h.db.execute(sql`delete from app_meta where key = 'no such key'`);
    expect((await view(cache)).kept).toBe(false);
  });

  it("is not served to a session that ended, nor one lucia would slide, nor in another minute", async () => {
    const cache = createPageCache(8);
    const now = Date.now();
    await view(cache, "/", "N", now);
    expect((await view(cache, "/", "N", now)).kept).toBe(true);
    // the next minute: the date and times a page shows may differ
    expect((await view(cache, "/", "N", now + 60_000)).kept).toBe(false);
    // a session within half its length of the end: lucia slides it on validation, so the app answers
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(now + 3 * 3600_000) })
      .where(eq(sessions.id, sessionId));
    expect(await cache.plan(h.db, { cookie, url: "/", nonce: "N", now })).toBeNull();
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(now + 8 * 3600_000) })
      .where(eq(sessions.id, sessionId));
    expect((await view(cache, "/", "N", now + 60_000)).kept).toBe(true);
    // signed out (the session row gone): never served from here
    await h.db.delete(sessions).where(eq(sessions.id, sessionId));
    expect(await cache.plan(h.db, { cookie, url: "/", nonce: "N", now: now + 60_000 })).toBeNull();
    expect(await cache.plan(h.db, { cookie: "prd_session=forged", url: "/", nonce: "N" })).toBeNull();
  });

  it("keeps nothing the render did not allow (an error, a cookie, another status) and nothing with 0 MB", async () => {
    const user = await createUser(h.db, { username: "pagekeeper2", displayName: "页测二", role: "viewer", phone: null, password: "correct horse battery" });
    const c2 = (await startSession(user)).split(";")[0]!;
    const cache = createPageCache(8);
    const plan = async () => cache.plan(h.db, { cookie: c2, url: "/", nonce: "N" });
    const ticketOf = async () => {
      const p = await plan();
      if (!p || !("ticket" in p)) throw new Error("expected a ticket");
      return p.ticket;
    };
    cache.keep(h.db, { ...(await ticketOf()), keep: false }, page("a"));
    cache.keep(h.db, { ...(await ticketOf()), keep: true }, { ...page("b"), status: 404 });
    cache.keep(h.db, { ...(await ticketOf()), keep: true }, { ...page("c"), headers: [["Set-Cookie", "x=1"]] });
    expect(await plan()).toHaveProperty("ticket");
    cache.keep(h.db, { ...(await ticketOf()), keep: true }, page("d"));
    expect(await plan()).toHaveProperty("hit");
    expect(createPageCache(0).enabled).toBe(false);
  });

  it("every app table but the sessions and the sign-in throttles moves the stamp (a table added later gets the trigger at start)", async () => {
    const rows = await rowsOf<{ name: string; has: boolean }>(
      h.db,
      sql`select c.relname as name, exists (select 1 from pg_trigger g where g.tgrelid = c.oid and g.tgname = 'data_change') as has from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = current_schema() and c.relkind = 'r' order by 1`,
    );
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.filter((r) => !r.has).map((r) => r.name)).toEqual(["sessions", "sign_in_throttles"]);
    await h.db.execute(sql`create table later_added (id int)`);
    await h.db.execute(sql`select ensure_data_change_triggers()`);
    const [later] = await rowsOf<{ n: number }>(h.db, sql`select count(*)::int as n from pg_trigger where tgname = 'data_change' and tgrelid = 'later_added'::regclass`);
    expect(later!.n).toBe(1);
    await h.db.execute(sql`drop table later_added`);
  });
});

const down = await postgresUnavailable();
if (down && process.env.CI) throw new Error(down);

(down ? describe.skip : describe)("pages kept as rendered on PostgreSQL, with a write in progress (concurrent: transactions really overlap)", () => {
  let h: DbHandle;
  let other: ReturnType<typeof postgres>;
  let drop: () => Promise<void>;
  let cookie: string;

  beforeAll(async () => {
    const created = await createPostgresDatabase({ withDemo: true });
    drop = created.drop;
    h = await openDatabase({ kind: "postgres", url: created.url });
    setDbHandle(h);
    other = postgres(created.url, { max: 1, onnotice: () => {} });
    const user = await createUser(h.db, { username: "pagekeeper", displayName: "页测", role: "admin", phone: null, password: "correct horse battery" });
    cookie = (await startSession(user)).split(";")[0]!;
  });
  afterAll(async () => {
    await other?.end();
    await h?.close();
    await drop?.();
  });

  /** `write` runs in a transaction on `client` that stays open until `then` has run; then it commits. */
  async function whileUncommitted<T>(client: ReturnType<typeof postgres>, write: (t: postgres.TransactionSql) => Promise<unknown>, then: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const wrote = new Promise<void>((r) => {
      written = r;
    });
    const tx = client.begin(async (t) => {
      await write(t);
      written();
      await held;
    });
    await wrote;
    try {
      return await then();
    } finally {
      release();
      await tx;
    }
  }

  it("a page rendered while another connection's write is uncommitted is not kept; once it commits, the next one is", async () => {
    const cache = createPageCache(8);
    // another instance's transaction: it has written (and taken its stamp number) but not committed
    const during = await whileUncommitted(
      other,
      (t) => t`update proposals set title = title || '（未提交）' where id = (select min(id) from proposals)`,
      () => cache.plan(h.db, { cookie, url: "/proposals", nonce: "N" }),
    );
    // a render then would read the data without that write, under a stamp that already counts it: not kept
    expect(during).toBeNull();
    const after = await cache.plan(h.db, { cookie, url: "/proposals", nonce: "N" });
    expect(after).toHaveProperty("ticket");
  });

  it("a write in progress in another database of the server (another bureau, another test) does not stop keeping", async () => {
    const cache = createPageCache(8);
    const elsewhere = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    try {
      const plan = await whileUncommitted(
        elsewhere,
        async (t) => {
          await t`create temporary table elsewhere (id int)`;
          await t`insert into elsewhere values (1)`;
        },
        () => cache.plan(h.db, { cookie, url: "/elsewhere", nonce: "N" }),
      );
      expect(plan).toHaveProperty("ticket");
    } finally {
      await elsewhere.end();
    }
  });
});
