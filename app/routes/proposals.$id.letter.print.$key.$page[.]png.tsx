/**
 * /proposals/:id/letter/print/:key/:page.png — one page of the printed letter as a picture.
 * The key names a letter revision's print; a key that is not the proposal's current letter
 * (changed since, or another proposal's) is a 404, so a picture never outlives the access
 * to its proposal — nor the browser's cache on a shared PC: not stored. A print that fails
 * (LibreOffice, pdftoppm) is a 503 saying so.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { cachedPrint, previewPage, printLetter } from "~/letters/print.server";
import { letterForRequest } from "~/letters/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { letter, key } = await letterForRequest(request, params.id);
  const page = Number(params.page);
  if (params.key !== key || !Number.isInteger(page) || page < 1) throw new Response("没有这一页的打印预览。", { status: 404 });
  const unavailable = () => new Response("打印预览暂时无法生成，请稍后再试。", { status: 503 });
  const printed = cachedPrint(key) ?? (await printLetter(letter).catch(() => null));
  if (!printed) throw unavailable();
  const png = await previewPage(printed, page).catch(() => {
    throw unavailable();
  });
  if (!png) throw new Response("没有这一页的打印预览。", { status: 404 });
  return new Response(new Uint8Array(png), {
    headers: { "Content-Type": "image/png", "Content-Length": String(png.length), "Cache-Control": "private, no-store" },
  });
}
