/** /proposals/:id — the proposal page. The page is ProposalPage.tsx, loader and action proposal.server.ts. */
import type { MetaFunction, ShouldRevalidateFunction } from "@remix-run/react";
import type { loader } from "./proposal.server";

export { action, loader } from "./proposal.server";
export { default } from "./ProposalPage";
export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";

/** Reads only the database, the user and the date, writes nothing: may be kept as rendered (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `第${data.proposal.number}号提案 · 提案答复系统` : "提案" }];

// Single fetch skips reloading after a refused action (4xx); here a refusal usually means the
// proposal moved on (someone else acted, a request was decided): the page shows it as it is now.
// The forms keep what was typed (their values come back with the refusal).
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || actionStatus === 400 ? true : defaultShouldRevalidate;
