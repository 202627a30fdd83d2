/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The client's address, for sign-in throttling (set by scripts/server.ts). */
    clientAddress: string;
    /** This response's Content-Security-Policy nonce (scripts/server.ts). */
    cspNonce?: string;
    /** Set when this page, once rendered, may be kept (app/http/page-cache.server.ts): the render says whether it is. */
    pageCache?: import("~/http/page-cache.server").PageCacheTicket;
  }
}
