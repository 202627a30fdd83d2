/**
 * A synthetic paragraph library at any size, from the seed documents' sentences — so common
 * terms such as 专精特新 match thousands of paragraphs. Used by the search benchmark and by
 * `demo:scale --paragraphs N`.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { libraryDocuments, paragraphs, paragraphVersions } from "#db/schema";
import { buildSearchDocument, parseTags, suggestTags, TAG_VOCABULARY } from "~/domain/library";
import { normalizeSourceText, splitIntoCandidates } from "~/domain/paragraph-import";
import { rebuildSearchIndex } from "./library-search.server";

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedCorpus() {
  const dir = path.resolve("seeds/source");
  const sentences: string[] = [];
  const titles: string[] = [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  for (const f of files) {
    const raw = fs.readFileSync(path.join(dir, f), "utf8");
    for (const s of normalizeSourceText(raw).split(/(?<=[。；！？])|\n+/)) {
      const x = s.trim();
      if (Array.from(x).length >= 8 && !x.includes("\t")) sentences.push(x);
    }
    for (const c of splitIntoCandidates(raw, { kind: f.startsWith("letter") ? "letter" : "policy" })) if (c.kind !== "table" && c.title.length <= 30) titles.push(c.title);
  }
  return { files, sentences, titles };
}

/**
 * Adds `size` synthetic paragraphs (each with its first version) from the seed documents' sentences,
 * in batches of 1,000, under source documents titled with `label`, then rebuilds the search
 * index and compacts. Deterministic (seeded random).
 */
export async function generateLibrary(db: Db, size: number, log: (s: string) => void, label = "（基准测试）") {
  const { files, sentences, titles } = seedCorpus();
  const rnd = mulberry32(20210519);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const docs = await db
    .insert(libraryDocuments)
    .values(
      files.map((f) => {
        const content = fs.readFileSync(path.join("seeds/source", f));
        return {
          kind: f.startsWith("letter") ? ("letter" as const) : ("policy" as const),
          title: `${label}${f}`,
          fileName: f,
          mediaType: "text/plain",
          size: content.length,
          sha256: createHash("sha256").update(content).update(label).digest("hex"),
          content,
          encoding: "utf-8",
          summary: { created: 0, linked: 0, updated: 0, skipped: 0 },
        };
      }),
    )
    .returning({ id: libraryDocuments.id });
  const started = performance.now();
  const BATCH = 1000;
  for (let from = 0; from < size; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, size - from) }, () => {
      const k = 2 + Math.floor(rnd() * 4);
      const body = Array.from({ length: k }, () => pick(sentences)).join("");
      const title = pick(titles);
      const tags = parseTags([...suggestTags(body).slice(0, 2), ...(rnd() < 0.3 ? [pick(TAG_VOCABULARY).tag] : [])]);
      const year = 2019 + Math.floor(rnd() * 6);
      return { title, body, tags, doc: pick(docs).id, asOf: `${year}-12-31`, retired: rnd() < 0.03 };
    });
    const ids = await db
      .insert(paragraphs)
      .values(
        batch.map((b) => {
          const d = buildSearchDocument(b);
          return {
            title: b.title,
            tags: b.tags,
            status: b.retired ? ("retired" as const) : ("active" as const),
            sourceDocumentId: b.doc,
            asOf: b.asOf,
            searchTitle: d.searchTitle,
            searchTags: d.searchTags,
            searchBody: d.searchBody,
            bodyLength: d.bodyLength,
            grams: d.grams,
          };
        }),
      )
      .returning({ id: paragraphs.id });
    await db
      .insert(paragraphVersions)
      .values(
        batch.map((b, j) => ({ paragraphId: ids[j]!.id, number: 1, title: b.title, body: b.body, tags: b.tags, sourceDocumentId: b.doc, asOf: b.asOf, note: `${label}生成` })),
      );
    if ((from / BATCH) % 10 === 9) log(`  已生成 ${from + batch.length} 段（${((performance.now() - started) / 1000).toFixed(0)} 秒）`);
  }
  await db.execute(sql`update ${paragraphs} p set current_version_id = v.id, version = 1 from ${paragraphVersions} v where v.paragraph_id = p.id`);
  const inserted = performance.now();
  log(`  已写入（${((inserted - started) / 1000).toFixed(0)} 秒），建立检索索引…`);
  const index = await rebuildSearchIndex(db);
  const indexed = performance.now();
  // The update above left dead rows: compact, so the sequential-scan floor is not slowed by them.
  await db.execute(sql`vacuum full ${paragraphs}`);
  await db.execute(sql`vacuum analyze`);
  log(`  索引 ${((indexed - inserted) / 1000).toFixed(0)} 秒，整理 ${((performance.now() - indexed) / 1000).toFixed(0)} 秒`);
  return { ...index, generateSeconds: (performance.now() - started) / 1000, indexSeconds: (indexed - inserted) / 1000 };
}
