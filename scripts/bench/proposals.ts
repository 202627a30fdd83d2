/**
 * The proposal list at 10,000 proposals: a page of 50 with each filter (会议, role, state, text),
 * p50/p95 per query on PGlite and PostgreSQL. The floor in the same run: fetching one proposal
 * by primary key, the cheapest query the page could make.
 */
import { sql } from "drizzle-orm";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { batches, proposals, proposers } from "../../db/schema";
import { listProposals } from "../../app/models/proposal.server";
import { createPostgresDatabase, postgresUnavailable } from "../../tests/support/databases";
import type { BenchModule } from "../bench";

const TITLES = [
  "关于加快培育专精特新企业的建议",
  "关于推动制造业数字化转型的建议",
  "关于优化工业用地保障的建议",
  "关于支持新能源汽车产业链发展的建议",
  "关于推动科技成果转化的建议",
];

async function seed(h: DbHandle, n: number) {
  const [b1] = await h.db.insert(batches).values({ meeting: "基准会议甲" }).returning({ id: batches.id });
  const [b2] = await h.db.insert(batches).values({ meeting: "基准会议乙" }).returning({ id: batches.id });
  const states = ["received", "assigned", "drafting", "in_review", "signed", "replied", "closed"];
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
      const j = i + k;
      return {
        batchId: j % 2 ? b1.id : b2.id,
        number: String(10000 + j),
        title: `${TITLES[j % TITLES.length]}（${j}）`,
        bureauRole: (["lead", "co", "split"] as const)[j % 3],
        assignedOn: `2026-${String((j % 12) + 1).padStart(2, "0")}-${String((j % 28) + 1).padStart(2, "0")}`,
        state: states[j % states.length],
        proposerNames: `委员${j % 300}`,
      };
    });
    const ids = await h.db.insert(proposals).values(rows).returning({ id: proposals.id });
    await h.db.insert(proposers).values(ids.map((r, k) => ({ proposalId: r.id, position: 1, kind: "member" as const, name: rows[k].proposerNames })));
  }
  await h.db.execute(sql`analyze`);
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => +s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
  return { p50: at(0.5), p95: at(0.95) };
}

export const bench: BenchModule = {
  name: "proposals",
  summary: "提案列表：1 万件提案时各筛选条件下一页 50 件的耗时",
  run: async (opts) => {
    const size = opts.size ?? 10_000;
    const runs = opts.runs ?? 30;
    const drivers = opts.drivers ?? ["pglite", "postgres"];
    const out: Record<string, unknown> = { size, runs };
    for (const driver of drivers) {
      if (driver === "postgres" && (await postgresUnavailable())) {
        console.warn(`[skip] PostgreSQL 不可用：${await postgresUnavailable()}`);
        continue;
      }
      const pg = driver === "postgres" ? await createPostgresDatabase() : null;
      const h = await openDatabase(pg ? { kind: "postgres", url: pg.url } : { kind: "memory" });
      try {
        await seed(h, size);
        const queries: Record<string, Parameters<typeof listProposals>[1]> = {
          "first page": { page: 1, pageSize: 50 },
          "last page": { page: Math.ceil(size / 50), pageSize: 50 },
          会议: { meeting: "基准会议甲", page: 3, pageSize: 50 },
          "role + state": { role: "co", state: "drafting", page: 1, pageSize: 50 },
          "text 专精特新": { q: "专精特新", page: 2, pageSize: 50 },
          "text 提案号": { q: "10777", page: 1, pageSize: 50 },
        };
        const figures: Record<string, unknown> = {};
        const floor: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t = performance.now();
          await h.db
            .select({ id: proposals.id })
            .from(proposals)
            .where(sql`${proposals.id} = ${1 + (r % size)}`);
          floor.push(performance.now() - t);
        }
        figures.floorPrimaryKey = stats(floor);
        for (const [name, q] of Object.entries(queries)) {
          const ms: number[] = [];
          for (let r = 0; r < runs; r++) {
            const t = performance.now();
            await listProposals(h.db, q);
            ms.push(performance.now() - t);
          }
          figures[name] = stats(ms);
        }
        console.log(driver, JSON.stringify(figures));
        out[driver] = figures;
      } finally {
        await h.close();
        await pg?.drop();
      }
    }
    return out;
  },
};
