/**
 * Import a policy document or a past reply letter into the library: upload (or paste) →
 * candidate paragraphs with their library duplicates → accept / merge / split / discard, edit
 * titles and tags → import, the whole document in one transaction. The candidates travel in
 * the form between steps, so every step is a plain form post (works without JavaScript).
 */
import type { MetaFunction } from "@remix-run/node";

export { action, loader } from "./import.server";
export { default } from "./ImportLibrary";

export const meta: MetaFunction = () => [{ title: "导入段落 · 段落库" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
