/** /proposals/:id — the proposal page. The page is ProposalPage.tsx, loader and action proposal.server.ts. */
import type { MetaFunction } from "@remix-run/react";
import type { loader } from "./proposal.server";

export { action, loader } from "./proposal.server";
export { default } from "./ProposalPage";
export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `第${data.proposal.number}号提案 · 提案答复系统` : "提案" }];
