/**
 * Paragraph suggestions, measured: recall@10 and MRR over seeds/relevance/suggestions.json on
 * the demo library (the three policy documents and letters 108/109), on an in-memory PGlite.
 * Two settings: "history" (next year's proposal: every signed letter is there to learn from)
 * and "leave-one-out" (the proposal's own reply is hidden; only text and other letters help),
 * with the text-only ranking as the floor.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { openDatabase } from "../../db/client.server";
import { batches, libraryDocuments, paragraphs, proposals } from "../../db/schema";
import { ensureOfficialCalendar } from "../../app/models/calendar.server";
import { loadDemoData } from "../../app/models/demo-data.server";
import { suggestForProposal } from "../../app/models/suggestions.server";
import type { BenchModule } from "../bench";

const setSchema = z.object({
  cases: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      proposers: z.array(z.string()),
      proposalNumber: z.string().optional(),
      relevant: z.array(z.object({ file: z.string(), title: z.string() })).min(1),
    }),
  ),
});

export const RELEVANCE_FILE = path.resolve("seeds/relevance/suggestions.json");

type Mode = "history" | "leave-one-out" | "text-only";

export const bench: BenchModule = {
  name: "suggestions",
  summary: "段落推荐的质量：评测集上的 recall@10 与 MRR（目标：两封答复函对应提案 recall@10 ≥ 0.8）",
  run: async () => {
    const set = setSchema.parse(JSON.parse(fs.readFileSync(RELEVANCE_FILE, "utf8")));
    const h = await openDatabase({ kind: "memory" });
    try {
      await ensureOfficialCalendar(h.db);
      await h.db.transaction((tx) => loadDemoData(tx));
      const today = new Date("2026-11-30T00:00:00Z");
      const out: Record<string, unknown> = { cases: set.cases.length };
      for (const mode of ["history", "leave-one-out", "text-only"] as Mode[]) {
        const perCase: Record<string, { recallAt10: number; rr: number; missing: string[] }> = {};
        for (const c of set.cases) {
          const relevant = new Map<number, string>();
          for (const r of c.relevant) {
            const rows = await h.db
              .select({ id: paragraphs.id })
              .from(paragraphs)
              .innerJoin(libraryDocuments, eq(libraryDocuments.id, paragraphs.sourceDocumentId))
              .where(and(eq(paragraphs.title, r.title), eq(libraryDocuments.fileName, r.file)));
            if (rows.length !== 1) throw new Error(`评测集 ${c.id}：「${r.file} · ${r.title}」在段落库中找到 ${rows.length} 段（应为 1 段）`);
            relevant.set(rows[0]!.id, r.title);
          }
          let proposalId: number | undefined;
          if (mode === "leave-one-out" && c.proposalNumber) {
            const [p] = await h.db.select({ id: proposals.id }).from(proposals).innerJoin(batches, eq(batches.id, proposals.batchId)).where(eq(proposals.number, c.proposalNumber));
            proposalId = p?.id;
          }
          const got = await suggestForProposal(h.db, { title: c.title, proposers: c.proposers, proposalId, limit: 10, today, useLetters: mode !== "text-only" });
          const ids = got.map((g) => g.id);
          const found = ids.filter((id) => relevant.has(id));
          const first = ids.findIndex((id) => relevant.has(id));
          perCase[c.id] = {
            recallAt10: +(found.length / relevant.size).toFixed(3),
            rr: first < 0 ? 0 : +(1 / (first + 1)).toFixed(3),
            missing: [...relevant].filter(([id]) => !ids.includes(id)).map(([, t]) => t),
          };
        }
        const vals = Object.values(perCase);
        const letters = ["letter-108", "letter-109"].map((k) => perCase[k]).filter(Boolean);
        const summary = {
          recallAt10: +(vals.reduce((s, v) => s + v.recallAt10, 0) / vals.length).toFixed(3),
          mrr: +(vals.reduce((s, v) => s + v.rr, 0) / vals.length).toFixed(3),
          lettersRecallAt10: +(letters.reduce((s, v) => s + v!.recallAt10, 0) / letters.length).toFixed(3),
          perCase,
        };
        out[mode] = summary;
        console.log(`\n${mode}: recall@10 ${summary.recallAt10}，MRR ${summary.mrr}，两封答复函对应提案 recall@10 ${summary.lettersRecallAt10}`);
        for (const [id, v] of Object.entries(perCase))
          console.log(`  ${id.padEnd(24)} recall@10 ${v.recallAt10.toFixed(3)}  RR ${v.rr.toFixed(3)}${v.missing.length ? `  未进前十：${v.missing.join("、")}` : ""}`);
      }
      const goal = (out.history as { lettersRecallAt10: number }).lettersRecallAt10;
      out.goal = { lettersRecallAt10: 0.8, met: goal >= 0.8 };
      console.log(`\n目标（history 设定下两封答复函对应提案 recall@10 ≥ 0.8）：${goal >= 0.8 ? "达到" : "未达到"}（${goal}）`);
      return out;
    } finally {
      await h.close();
    }
  },
};
