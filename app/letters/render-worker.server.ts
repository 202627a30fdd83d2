/**
 * The worker side of render-pool.server.ts: Letter in, DOCX bytes out. Runs in a
 * worker_threads worker, loaded through tsx (the app runs from its TypeScript sources).
 */
import type { MessagePort } from "node:worker_threads";
import type { Letter } from "~/domain/letter";
import { type LayoutOptions, renderLetterDocx } from "./docx.server";

export type RenderRequest = { id: number; letter: Letter; options?: LayoutOptions };
export type RenderReply = { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; error: string };

export function serve(port: MessagePort) {
  port.on("message", async (req: RenderRequest) => {
    try {
      const buf = await renderLetterDocx(req.letter, req.options);
      const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      // Hand the bytes over without a copy when the buffer is not a slice of a shared pool.
      const whole = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength;
      port.postMessage({ id: req.id, ok: true, data } satisfies RenderReply, whole ? [buf.buffer as ArrayBuffer] : []);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies RenderReply);
    }
  });
  port.postMessage({ ready: true });
}
