/** /library/:id — one library paragraph. The page is ParagraphPage.tsx, loader and action paragraph.server.ts. */
import type { MetaFunction, ShouldRevalidateFunction } from "@remix-run/react";
import type { loader } from "./paragraph.server";

export { action, loader } from "./paragraph.server";
export { default } from "./ParagraphPage";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.paragraph.title} · 段落库` : "段落库" }];

// After a conflict (409) the page shows the latest version, the clerk's typing kept (single fetch
// would otherwise skip reloading after a 4xx, and every later save would meet the same conflict).
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
