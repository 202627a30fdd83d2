/**
 * Remix's express request handler with one change: the response body is piped with backpressure.
 * @remix-run/express 2.17 writes each chunk of a body without waiting for the socket
 * (`writeReadableStreamToWritable` ignores `write()`'s answer), so a slow client let a streamed
 * body be read to its end into memory: a ZIP export of several thousand letters, or five of them
 * downloading at once, sat whole in the server's memory for the length of the download. Here the
 * body is read as fast as the client takes it, and a client that goes away cancels it.
 */
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
// the adapter's own request conversion (exported by its module, not re-exported by the package's index)
import { createRemixRequest } from "@remix-run/express/dist/server.js";
import { type AppLoadContext, createRequestHandler as createRemixHandler, type ServerBuild } from "@remix-run/node";
import type express from "express";

export type BodyCopy = { maxBytes: number; receive: (body: Buffer) => void };

export function createRequestHandler(r: {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: (req: express.Request, res: express.Response) => AppLoadContext | Promise<AppLoadContext>;
  /**
   * Given the response, where to copy its body once all sent (a page to keep: scripts/server.ts) —
   * only a body up to `maxBytes` (a larger one is not copied past that, and `receive` is not called) — or nothing.
   */
  bodyTo?: (res: express.Response, response: Response) => BodyCopy | undefined;
}): express.RequestHandler {
  const handle = createRemixHandler(r.build, r.mode);
  return async (req, res, next) => {
    try {
      const response = await handle(createRemixRequest(req, res), await r.getLoadContext?.(req, res));
      await sendResponse(res, response, r.bodyTo?.(res, response));
      discardUnreadBody(req);
    } catch (error) {
      // a loader's own failure, or a header Node refuses: a 500 while nothing was sent (as the adapter did)
      if (res.headersSent) res.destroy(error as Error);
      else next(error);
    }
  };
}

/**
 * A response sent before anything read the request's body (Remix's 405 for a page without an
 * action, a 403 or 404 from a loader, a refusal before the form is read) left the rest of a large
 * body unread on the connection, paused by the adapter's stream: the client's next request on it
 * was reset (ECONNRESET, a browser's "connection reset" page instead of the answer). The rest is
 * discarded as the request guards discard theirs; a client sending far past any limit is cut off.
 */
function discardUnreadBody(req: express.Request) {
  if (req.complete || req.destroyed) return;
  req.removeAllListeners("data");
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > 64 * 1024 * 1024) req.destroy();
  });
  req.resume();
}

/** Status, headers, then the body at the pace the client reads it (and, given `bodyTo`, the whole body to it once all sent). */
export async function sendResponse(res: express.Response, response: Response, bodyTo?: BodyCopy) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (!response.body) {
    res.end();
    return;
  }
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    if (!bodyTo) await pipeline(body, res);
    else {
      let chunks: Uint8Array[] | null = [];
      let size = 0;
      const copy = new Transform({
        transform(chunk: Uint8Array, _encoding, done) {
          size += chunk.length;
          // past the limit nothing more is held: the body streams on as without a copy
          if (size > bodyTo.maxBytes) chunks = null;
          else chunks?.push(chunk);
          done(null, chunk);
        },
      });
      await pipeline(body, copy, res);
      if (chunks) bodyTo.receive(Buffer.concat(chunks));
    }
  } catch (error) {
    // The response is cut short, which is all that can still be said on it. A client that went
    // away is no fault; a body that failed (an export's file gone meanwhile) is logged, as express did.
    const code = (error as { code?: string }).code;
    if (code !== "ERR_STREAM_PREMATURE_CLOSE" && code !== "ABORT_ERR" && (error as Error).name !== "AbortError") console.error("响应正文发送失败：", error);
  }
}
