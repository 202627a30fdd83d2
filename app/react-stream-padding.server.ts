/**
 * Removes the zero bytes that react-dom 18's Node streaming renderer pads onto a chunk.
 *
 * react-dom/server (18.x) encodes strings into a 2048-byte view; when a multi-byte character
 * does not fit, it flushes the *whole* view instead of the bytes written, so 1–3 NUL bytes
 * (the room left, smaller than one UTF-8 character) end the chunk. Browsers show them as "�",
 * and a textarea then saves them back into drafts. Upstream: facebook/react#24985, #30453;
 * fixed by facebook/react#26228 (`currentView.subarray(0, writtenBytes)`), released in
 * react-dom 19.0 and never backported to 18.x. Delete this module when the app moves to React 19.
 */
import { Transform, type TransformCallback } from "node:stream";

/** React's VIEW_SIZE in react-dom-server.node (18.x). */
export const REACT_VIEW_SIZE = 2048;

/**
 * The chunk without its padding. Only a full-size view can carry padding, and at most 3 bytes
 * of it (a UTF-8 character is at most 4 bytes, and it did not fit in what was left).
 */
export function stripViewPadding(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.byteLength;
  while (end > REACT_VIEW_SIZE - 3 && chunk[end - 1] === 0) end--;
  return end === chunk.byteLength ? chunk : chunk.subarray(0, end);
}

/** A pass-through stream to put between React's `pipe()` and the response body. */
export function createPaddingStripper(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      callback(null, stripViewPadding(chunk));
    },
  });
}
