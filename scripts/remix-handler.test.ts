import http from "node:http";
import net from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { type BodyCopy, sendResponse } from "./remix-handler";

const MiB = 1024 * 1024;
const PIECES = 40;

/** A body of 40 pieces of 1 MiB made on demand (as an export's ZIP is read from the database), counting what was made. */
function countedBody() {
  const made = { pieces: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (made.pieces === PIECES) return controller.close();
      made.pieces++;
      controller.enqueue(new Uint8Array(MiB).fill(made.pieces));
    },
    cancel() {
      made.cancelled = true;
    },
  });
  return { body, made };
}

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(body: ReadableStream<Uint8Array>, copy?: BodyCopy): Promise<number> {
  const app = express();
  app.get("/", (_req, res) => void sendResponse(res, new Response(body, { headers: { "Content-Type": "application/zip" } }), copy));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a streamed response body", () => {
  it("is read no faster than the client takes it, and arrives whole", async () => {
    const { body, made } = countedBody();
    const port = await serve(body);
    const socket = net.connect(port, "127.0.0.1");
    socket.pause(); // a client that does not read yet
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await settle(500);
    // only what fills the socket's buffers was made, not the whole body
    expect(made.pieces).toBeLessThan(PIECES / 2);
    let received = 0;
    socket.on("data", (d: Buffer) => (received += d.length));
    socket.resume();
    await new Promise((r) => socket.on("end", r));
    expect(made.pieces).toBe(PIECES);
    expect(received).toBeGreaterThan(PIECES * MiB);
  });

  it("is cancelled when the client goes away", async () => {
    const { body, made } = countedBody();
    const port = await serve(body);
    const socket = net.connect(port, "127.0.0.1");
    socket.pause();
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await settle(300);
    socket.destroy();
    await settle(300);
    expect(made.cancelled).toBe(true);
    expect(made.pieces).toBeLessThan(PIECES / 2);
  });

  it("copied for keeping only up to its limit: a larger one (an export's ZIP) streams whole and is not held", async () => {
    const received: number[] = [];
    const fetchWith = async (maxBytes: number) => {
      const { body } = countedBody();
      const port = await serve(body, { maxBytes, receive: (b) => received.push(b.length) });
      const res = await fetch(`http://127.0.0.1:${port}/`);
      const length = (await res.arrayBuffer()).byteLength;
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
      return length;
    };
    expect(await fetchWith(2 * MiB)).toBe(PIECES * MiB);
    expect(received).toEqual([]);
    expect(await fetchWith(PIECES * MiB)).toBe(PIECES * MiB);
    await settle(50);
    expect(received).toEqual([PIECES * MiB]);
  });
});
