/**
 * `npm run bench [-- NAME...] [--size N] [--drivers pglite,postgres] [--runs N]`: run benchmark
 * modules (scripts/bench/*.ts), print their figures and save them to bench-results/NAME.json.
 * Timings are never asserted in tests; this is where they are measured.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

export type BenchOptions = { size?: number; drivers?: ("pglite" | "postgres")[]; runs?: number; reference?: boolean };
export type BenchModule = { name: string; summary: string; run: (opts: BenchOptions) => Promise<Record<string, unknown>> };

const MODULES: Record<string, () => Promise<BenchModule>> = {
  search: async () => (await import("./bench/search")).bench,
  letters: async () => (await import("./bench/letters")).bench,
  proposals: async () => (await import("./bench/proposals")).bench,
  suggestions: async () => (await import("./bench/suggestions")).bench,
  proofread: async () => (await import("./bench/proofread")).bench,
  http: async () => (await import("./bench/http")).bench,
};

async function main() {
  const { values, positionals } = parseArgs({
    options: { size: { type: "string" }, drivers: { type: "string" }, runs: { type: "string" }, reference: { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log("用法：npm run bench [-- search] [--size 100000] [--drivers pglite,postgres] [--runs 20] [--reference]");
    for (const [name, load] of Object.entries(MODULES)) console.log(`  ${name.padEnd(10)} ${(await load()).summary}`);
    return;
  }
  const names = positionals.length ? positionals : Object.keys(MODULES);
  for (const n of names) if (!MODULES[n]) throw new Error(`未知的基准测试：${n}（可用：${Object.keys(MODULES).join("、")}）`);
  const opts: BenchOptions = {
    size: values.size ? Number(values.size) : undefined,
    drivers: values.drivers ? (values.drivers.split(",").map((d) => d.trim()) as BenchOptions["drivers"]) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
    reference: values.reference,
  };
  fs.mkdirSync("bench-results", { recursive: true });
  for (const name of names) {
    const mod = await MODULES[name]!();
    console.log(`\n━━ ${mod.name}：${mod.summary} ━━`);
    const result = await mod.run(opts);
    const file = path.join("bench-results", `${name}.json`);
    const record = {
      benchmark: name,
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` },
      ...result,
    };
    fs.writeFileSync(file + ".tmp", JSON.stringify(record, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
    console.log(`\n结果已保存：${file}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
