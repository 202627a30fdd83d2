/** The reader's side of untrusted-files.server.ts (a child process): one task at a time, answered by id. */
import { read, type ReadResult, type ReadTask } from "./readers.server";
import { TOO_COSTLY } from "./untrusted-files.server";

export type WorkerRequest = { id: number; task: ReadTask };
export type WorkerReply = { id: number; ok: true; result: ReadResult } | { id: number; ok: false; error: string };
/** How the reader talks to the server: the child process's IPC channel. */
export type ReaderPort = { on(event: "message", listener: (m: WorkerRequest) => void): unknown; postMessage(m: unknown): unknown };

/**
 * The most characters an answer may carry back: each reader keeps well below this (a text stops at
 * its task's maxChars); past it the file is refused rather than a huge answer copied to the server.
 */
export const MAX_REPLY_CHARS = 32_000_000;

/** The characters in a result's strings, counted until past `limit`. */
export function replyChars(value: unknown, limit = MAX_REPLY_CHARS): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length && total <= limit) {
    const v = stack.pop();
    if (typeof v === "string") total += v.length;
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === "object") for (const x of Object.values(v)) stack.push(x);
  }
  return total;
}

export function serve(port: ReaderPort) {
  port.on("message", async (req: WorkerRequest) => {
    try {
      const result = await read(req.task);
      const reply: ReadResult = replyChars(result) > MAX_REPLY_CHARS ? { unreadable: TOO_COSTLY } : result;
      port.postMessage({ id: req.id, ok: true, result: reply } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
  port.postMessage({ ready: true });
}
