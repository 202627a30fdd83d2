import { parseArgs } from "node:util";
/** A CLI command: `npm run cli -- <name> [args]`. Throw UsageError for a clear one-line failure. */
export class UsageError extends Error {}

export type Command = { summary: string; usage: string; run: (args: string[]) => Promise<void> };

/** `--limit N` for the CLI's listing commands: 1…max, with the same message everywhere. */
export function limitOption(raw: string | undefined, fallback: number, max = 200): number {
  const n = Number(raw ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit 须为 1 到 ${max} 的整数`);
  return n;
}

/** `COMMAND "案由" [--proposer 名称]… [--limit N] [--json]`: the arguments of the commands that rank for a proposal. */
export function proposalQueryArgs(args: string[], example: string, limits: { fallback: number; max?: number }) {
  const { values, positionals } = parseArgs({
    args,
    options: { proposer: { type: "string", multiple: true }, limit: { type: "string" }, json: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  const title = positionals.join(" ").trim();
  if (!title) throw new UsageError(`请指定案由，例如：${example}`);
  return { title, proposers: values.proposer ?? [], limit: limitOption(values.limit, limits.fallback, limits.max), json: Boolean(values.json) };
}
