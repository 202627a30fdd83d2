/**
 * Server entry (revealed from Remix's default for Node). Changes from the default: React's
 * output goes through `createPaddingStripper` (react-dom 18 pads chunks with NUL bytes — see
 * app/react-stream-padding.server.ts); inline scripts carry the response's CSP nonce; one
 * function serves bots and browsers.
 */
import { PassThrough } from "node:stream";
import { withoutParameters } from "#db/errors";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { routesAllowKeeping } from "~/http/page-cache.server";
import { createPaddingStripper } from "~/react-stream-padding.server";
import { NonceProvider } from "~/ui/nonce";

const ABORT_DELAY = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = loadContext.cspNonce ?? "";
  // A page that may be kept as rendered (app/http/page-cache.server.ts): a 200 of routes that take part, without cookies.
  const ticket = loadContext.pageCache;
  // Bots and SPA mode get the whole document at once; browsers get it as soon as the shell is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    /** The client went away mid-page: the render given up for it is not an error to log. */
    let clientGone = false;
    // Cleared once everything is rendered: a pending timer keeps the whole render (its tree and
    // loader data) alive for ABORT_DELAY — some 600 finished pages at 120 requests/s.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const respond = () => {
      shellRendered = true;
      if (ticket)
        ticket.keep =
          responseStatusCode === 200 &&
          !responseHeaders.has("Set-Cookie") &&
          routesAllowKeeping(
            remixContext.staticHandlerContext.matches.map((m) => m.route.id),
            remixContext.routeModules,
          );
      const body = new PassThrough();
      // A client gone mid-page (a closed tab, a dropped connection) destroys the body with an error
      // (the response's pipeline cancels it): taken here — unheard, it was thrown and stopped the
      // whole server — and the render is given up instead of running to its timeout.
      body.on("error", () => {
        clientGone = true;
        if (ticket) ticket.keep = false;
        clearTimeout(timer);
        abort();
      });
      const stripper = createPaddingStripper();
      stripper.pipe(body);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(stripper);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady: waitForAll ? undefined : respond,
        onAllReady() {
          clearTimeout(timer);
          if (waitForAll) respond();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // a part of the page that failed after its start is not kept
          if (ticket) ticket.keep = false;
          // Errors before the shell reject and are logged by Remix; later ones only here.
          if (shellRendered && !clientGone) console.error(withoutParameters(error));
        },
      },
    );
    timer = setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Remix's default, less one case: a POST to a page that takes none is answered 405 by Remix
 * itself — the client's mistake, not the server's, so no stack trace in the log for each one.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 405) return;
  const inner = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined;
  console.error(withoutParameters(inner ?? error));
}
