/**
 * Library search speed: a synthetic library of N paragraphs (default 100,000) made from the
 * seed documents' sentences — so common terms such as 专精特新 match thousands of paragraphs —
 * searched on each driver. Measured in the same run:
 *  - the app's ranking (rankParagraphs: champion lists + certificate, GIN fallback), top 10;
 *  - the full search as the page runs it (ranking + text, highlights, staleness);
 *  - the floor: the same ranking by a sequential scan (rankParagraphsByScan), and whether
 *    both return the same top-10 scores.
 * Targets (issue 4): p95 ≤ 50 ms on both drivers, ≥ 20× faster than the floor.
 */
import { count, sql } from "drizzle-orm";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { paragraphs } from "../../db/schema";
import { generateLibrary as generate } from "../../app/models/library-scale.server";
import { rankParagraphs, rankParagraphsByScan, searchParagraphs, type RankResult } from "../../app/models/library-search.server";
import { createParagraph, reviseParagraph } from "../../app/models/paragraph.server";
import { createPostgresDatabase, postgresUnavailable } from "../../tests/support/databases";
import type { BenchModule, BenchOptions } from "../bench";

/** Common terms (thousands of matches), rarer ones, two-term queries. */
export const QUERIES = [
  "专精特新",
  "科技成果转化",
  "智能终端",
  "先进制造业集群",
  "集成电路",
  "松山湖",
  "土地",
  "人才",
  "5G",
  "龙头企业",
  "招商引资",
  "工业互联网",
  "国家先进制造业集群",
  "专精特新 小巨人",
  "产业链 供应链",
  "散裂中子源",
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const stats = (list: number[]) => {
  const s = [...list].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), max: r(s[s.length - 1] ?? 0) };
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

async function runDriver(driver: "pglite" | "postgres", size: number, runs: number, reference: boolean) {
  const log = (s: string) => console.log(s);
  let handle: DbHandle;
  let drop: (() => Promise<void>) | null = null;
  if (driver === "pglite") handle = await openDatabase({ kind: "memory" });
  else {
    const why = await postgresUnavailable();
    if (why) return { skipped: why };
    const created = await createPostgresDatabase();
    drop = created.drop;
    handle = await openDatabase({ kind: "postgres", url: created.url });
  }
  try {
    const db = handle.db;
    log(`\n[${driver}] 生成 ${size} 段的合成段落库…`);
    const gen = await generate(db, size, log);
    const [{ n }] = await db.select({ n: count() }).from(paragraphs);
    log(`  完成：${n} 段，${gen.grams} 个二字组，${gen.postings} 条索引项，用时 ${gen.generateSeconds.toFixed(0)} 秒`);

    // Warm-up: caches, plans, JIT.
    for (let r = 0; r < 3; r++) for (const q of QUERIES) await rankParagraphs(db, { q, limit: 10 });
    for (const q of QUERIES) await rankParagraphsByScan(db, { q, limit: 10 });
    const perQuery: Record<string, unknown>[] = [];
    const rankAll: number[] = [];
    const searchAll: number[] = [];
    const floorAll: number[] = [];
    let exact = 0;
    // Three phases, each going round the queries `runs` times: the ranking alone, then the
    // whole page search (highlighting makes garbage that would otherwise land in the ranking
    // figures), then the sequential-scan floor.
    const rankTimes = new Map<string, number[]>(QUERIES.map((q) => [q, []]));
    const searchTimes = new Map<string, number[]>(QUERIES.map((q) => [q, []]));
    const floorTimes = new Map<string, number[]>(QUERIES.map((q) => [q, []]));
    const lastRank = new Map<string, RankResult>();
    const lastFloor = new Map<string, { id: number; score: number }[]>();
    for (let r = 0; r < runs; r++)
      for (const q of QUERIES) {
        const [res, ms] = await timed(() => rankParagraphs(db, { q, limit: 10 }));
        lastRank.set(q, res);
        rankTimes.get(q)!.push(ms);
      }
    for (let r = 0; r < runs; r++)
      for (const q of QUERIES) searchTimes.get(q)!.push((await timed(() => searchParagraphs(db, { q, limit: 10, today: new Date(), staleAfterDays: 365 })))[1]);
    for (let r = 0; r < Math.max(3, Math.round(runs / 4)); r++)
      for (const q of QUERIES) {
        const [res, ms] = await timed(() => rankParagraphsByScan(db, { q, limit: 10 }));
        lastFloor.set(q, res);
        floorTimes.get(q)!.push(ms);
      }
    for (const q of QUERIES) {
      const last = lastRank.get(q)!;
      const floor = lastFloor.get(q)!;
      const [matchRow] = await db
        .select({ n: count() })
        .from(paragraphs)
        .where(
          sql`${paragraphs.status} = 'active' and ${sql.join(
            last.terms.map((t) => sql`strpos(${paragraphs.searchTitle} || '|' || ${paragraphs.searchTags} || '|' || ${paragraphs.searchBody}, ${t}::text) > 0`),
            sql` and `,
          )}`,
        );
      const same = JSON.stringify(floor.map((h) => h.score.toFixed(9))) === JSON.stringify(last.hits.map((h) => h.score.toFixed(9)));
      if (same) exact++;
      let trigramMs: number | null = null;
      if (reference) {
        const [, ms] = await timed(() =>
          db.execute(
            sql`select id from ${paragraphs} where ${paragraphs.searchBody} like ${"%" + last.terms.join("%") + "%"} order by similarity(${paragraphs.searchBody}, ${last.terms.join("")}) desc limit 10`,
          ),
        );
        trigramMs = Math.round(ms);
      }
      rankAll.push(...rankTimes.get(q)!);
      searchAll.push(...searchTimes.get(q)!);
      floorAll.push(...floorTimes.get(q)!);
      const rs = stats(rankTimes.get(q)!);
      const fs_ = stats(floorTimes.get(q)!);
      perQuery.push({
        q,
        matches: matchRow!.n,
        strategy: last.strategy,
        rank: rs,
        search: stats(searchTimes.get(q)!),
        floor: fs_,
        speedup: Math.round(fs_.p50 / Math.max(0.01, rs.p50)),
        sameTop10: same,
        trigramSimilarityMs: trigramMs,
      });
      log(
        `  ${q.padEnd(10, "　")} 命中 ${String(matchRow!.n).padStart(6)}  ${last.strategy.padEnd(5)} 排序 p50 ${rs.p50.toFixed(1).padStart(6)} p95 ${rs.p95.toFixed(1).padStart(6)} ms · 顺序扫描 p50 ${fs_.p50.toFixed(0).padStart(5)} ms · ${same ? "前 10 一致" : "前 10 不一致"}${trigramMs !== null ? ` · similarity() ${trigramMs} ms` : ""}`,
      );
    }
    // Writes keep the index current: adding or editing one paragraph in a library this size.
    const writeTimes: number[] = [];
    const editTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const body = `推动专精特新企业发展，第${i}次基准测试写入。近两年培育省级专精特新企业 103 家，国家级专精特新“小巨人”企业 20 家。`;
      const [created, ms] = await timed(() =>
        db.transaction((tx) => createParagraph(tx, { title: `基准测试写入${i}`, body, tags: ["专精特新"], asOf: null, ownerId: null, actorId: null })),
      );
      writeTimes.push(ms);
      const [, ems] = await timed(() =>
        db.transaction((tx) =>
          reviseParagraph(tx, { id: created.id, expectedVersion: 1, title: `基准测试写入${i}`, body: body.replace("103", "128"), tags: ["专精特新"], asOf: null, actorId: null }),
        ),
      );
      editTimes.push(ems);
    }
    const stillExact =
      JSON.stringify((await rankParagraphs(db, { q: "专精特新", limit: 10 })).hits.map((x) => x.score.toFixed(9))) ===
      JSON.stringify((await rankParagraphsByScan(db, { q: "专精特新", limit: 10 })).map((x) => x.score.toFixed(9)));
    log(`  写入：新增一段 p50 ${stats(writeTimes).p50} ms，修改一段 p50 ${stats(editTimes).p50} ms（含索引维护）；写入后前 10 仍与顺序扫描一致：${stillExact ? "是" : "否"}`);

    const rank = stats(rankAll);
    const search = stats(searchAll);
    const floor = stats(floorAll);
    const summary = {
      size: n,
      generate: gen,
      queries: QUERIES.length,
      runsPerQuery: runs,
      rank,
      search,
      floor,
      speedupP95: Math.round((floor.p95 / rank.p95) * 10) / 10,
      speedupP50: Math.round((floor.p50 / rank.p50) * 10) / 10,
      exactTop10: `${exact}/${QUERIES.length}`,
      writes: { create: stats(writeTimes), revise: stats(editTimes), exactAfterWrites: stillExact },
      meetsTarget: rank.p95 <= 50 && floor.p95 / rank.p95 >= 20,
      perQuery,
    };
    log(
      `  [${driver}] 排序前 10：p50 ${rank.p50} ms，p95 ${rank.p95} ms；含高亮的完整检索 p95 ${search.p95} ms；顺序扫描 p95 ${floor.p95} ms；提速 ${summary.speedupP95}×（p95）；前 10 与顺序扫描一致 ${summary.exactTop10}；${summary.meetsTarget ? "达到目标（≤ 50 ms 且 ≥ 20×）" : "未达到目标"}`,
    );
    return summary;
  } finally {
    await handle.close();
    if (drop) await drop();
  }
}

export const bench: BenchModule = {
  name: "search",
  summary: "段落库检索：合成段落库上的排序前 10（两种数据库），对比顺序扫描",
  run: async (opts: BenchOptions) => {
    const size = opts.size ?? 100_000;
    const runs = opts.runs ?? 20;
    const drivers = opts.drivers ?? ["pglite", "postgres"];
    const out: Record<string, unknown> = { size, runs, queries: QUERIES, target: { p95Ms: 50, speedup: 20 } };
    for (const d of drivers) out[d] = await runDriver(d, size, runs, Boolean(opts.reference));
    return out;
  },
};
