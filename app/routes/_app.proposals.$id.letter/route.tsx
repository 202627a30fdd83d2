/** /proposals/:id/letter — the 答复函 page. The page is LetterPage.tsx; loader and action letter.server.ts (data in loader.server.ts, steps in review.server.ts and editor.server.ts). */
import type { MetaFunction, ShouldRevalidateFunction } from "@remix-run/react";
import type { loader } from "./letter.server";

export { action, loader } from "./letter.server";
export { default } from "./LetterPage";
export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.docName} · 第${data.proposal.number}号提案` : "答复函" }];

/** An autosave changes nothing on the page: reloading it would reset the editor under the typist's hands. */
// An autosave reloads nothing (the page keeps the typing); nor does a 401 (signed out: see _app.tsx).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, actionStatus, defaultShouldRevalidate }) =>
  formData?.get("op") === "autosave" || actionStatus === 401 ? false : defaultShouldRevalidate;
