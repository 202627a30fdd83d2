import { PassThrough, Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createPaddingStripper, REACT_VIEW_SIZE, stripViewPadding } from "./react-stream-padding.server";

/** Renders through React's real streaming renderer, optionally through the stripper, and returns the bytes. */
function render(text: string, strip: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        parts.push(Buffer.from(chunk));
        cb();
      },
    });
    sink.on("finish", () => resolve(Buffer.concat(parts)));
    // Many small text nodes, as a page has: each is a separate string chunk for React.
    const element = createElement(
      "main",
      null,
      text.match(/.{1,37}/gsu)!.map((line, i) => createElement("p", { key: i }, line)),
    );
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        if (strip) {
          const stripper = createPaddingStripper();
          stripper.pipe(sink);
          pipe(stripper);
        } else {
          const through = new PassThrough();
          through.pipe(sink);
          pipe(through);
        }
      },
      onError: reject,
    });
  });
}

const CHINESE = "东莞市工业和信息化局关于市政协十四届五次会议第20210108号提案答复的函，推动专精特新企业发展。".repeat(120);

describe("React 18 streaming renderer padding", () => {
  it("is real: without the stripper a Chinese page carries NUL bytes (remove this module when this fails on React 19)", async () => {
    const raw = await render(CHINESE, false);
    expect(raw.includes(0)).toBe(true);
  });

  it("leaves no NUL byte and no U+FFFD, and every character of the text arrives", async () => {
    const fixed = await render(CHINESE, true);
    expect(fixed.includes(0)).toBe(false);
    const html = fixed.toString("utf8");
    expect(html).not.toContain("\uFFFD");
    expect(html.replace(/<[^>]+>/g, "")).toBe(CHINESE);
  });

  it("strips at most three trailing zeros and only from a full view", () => {
    const full = new Uint8Array(REACT_VIEW_SIZE).fill(0x41);
    full.fill(0, REACT_VIEW_SIZE - 2);
    expect(stripViewPadding(full).byteLength).toBe(REACT_VIEW_SIZE - 2);
    const short = new Uint8Array([0x41, 0, 0]);
    expect(stripViewPadding(short).byteLength).toBe(3);
    const manyZeros = new Uint8Array(REACT_VIEW_SIZE);
    expect(stripViewPadding(manyZeros).byteLength).toBe(REACT_VIEW_SIZE - 3);
  });
});
