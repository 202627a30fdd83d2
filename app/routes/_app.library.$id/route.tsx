/** /library/:id — one library paragraph. The page is ParagraphPage.tsx, loader and action paragraph.server.ts. */
import type { MetaFunction } from "@remix-run/react";
import type { loader } from "./paragraph.server";

export { action, loader } from "./paragraph.server";
export { default } from "./ParagraphPage";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.paragraph.title} · 段落库` : "段落库" }];
