/**
 * Remix's express request handler with one change: the response body is piped with backpressure.
 * @remix-run/express 2.17 writes each chunk of a body without waiting for the socket
 * (`writeReadableStreamToWritable` ignores `write()`'s answer), so a slow client let a streamed
 * body be read to its end into memory: a ZIP export of several thousand letters, or five of them
 * downloading at once, sat whole in the server's memory for the length of the download. Here the
 * body is read as fast as the client takes it, and a client that goes away cancels it.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
// the adapter's own request conversion (exported by its module, not re-exported by the package's index)
import { createRemixRequest } from "@remix-run/express/dist/server.js";
import { type AppLoadContext, createRequestHandler as createRemixHandler, type ServerBuild } from "@remix-run/node";
import type express from "express";

export function createRequestHandler(r: {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: (req: express.Request, res: express.Response) => AppLoadContext | Promise<AppLoadContext>;
}): express.RequestHandler {
  const handle = createRemixHandler(r.build, r.mode);
  return async (req, res, next) => {
    let response: Response;
    try {
      response = await handle(createRemixRequest(req, res), await r.getLoadContext?.(req, res));
    } catch (error) {
      next(error);
      return;
    }
    await sendResponse(res, response);
  };
}

/** Status, headers, then the body at the pace the client reads it. */
export async function sendResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (!response.body) {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res);
  } catch {
    // The client went away (the body is cancelled), or the body failed after the head was sent:
    // the response is cut short, which is all that can still be said on it.
  }
}
