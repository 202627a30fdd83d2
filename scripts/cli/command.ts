/** A CLI command: `npm run cli -- <name> [args]`. Throw UsageError for a clear one-line failure. */
export class UsageError extends Error {}

export type Command = { summary: string; usage: string; run: (args: string[]) => Promise<void> };

/** `--limit N` for the CLI's listing commands: 1…max, with the same message everywhere. */
export function limitOption(raw: string | undefined, fallback: number, max = 200): number {
  const n = Number(raw ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit 须为 1 到 ${max} 的整数`);
  return n;
}
