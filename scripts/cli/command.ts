/** A CLI command: `npm run cli -- <name> [args]`. Throw UsageError for a clear one-line failure. */
export class UsageError extends Error {}

export type Command = { summary: string; usage: string; run: (args: string[]) => Promise<void> };
