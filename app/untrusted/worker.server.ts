/** The worker side of untrusted-files.server.ts: one task at a time, answered by id. */
import type { MessagePort } from "node:worker_threads";
import { read, type ReadResult, type ReadTask } from "./readers.server";

export type WorkerRequest = { id: number; task: ReadTask };
export type WorkerReply = { id: number; ok: true; result: ReadResult } | { id: number; ok: false; error: string };

export function serve(port: MessagePort) {
  port.on("message", async (req: WorkerRequest) => {
    try {
      port.postMessage({ id: req.id, ok: true, result: await read(req.task) } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
  port.postMessage({ ready: true });
}
