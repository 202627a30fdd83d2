/**
 * Values computed once per page request and shared by its loaders. A Remix page runs the
 * layout's loader and the route's loader for the same request (each with its own copy of the
 * Request), and both need the signed-in user: without this, every page validated its session
 * twice. Only reads (GET/HEAD) get a scope, so an action that changes the user or the session
 * never sees a value from before the change.
 *
 * The store lives on globalThis: the server entry (scripts/server.ts) and the Remix build are
 * bundled separately and would otherwise each hold their own instance.
 */
import { AsyncLocalStorage } from "node:async_hooks";

type Scope = Map<string, Promise<unknown>>;
const KEY = Symbol.for("proposal-reply-desk.request-scope");
const holder = globalThis as { [KEY]?: AsyncLocalStorage<Scope> };
const storage: AsyncLocalStorage<Scope> = (holder[KEY] ??= new AsyncLocalStorage<Scope>());

/** Runs `handle` with a fresh scope when the method only reads; otherwise without one. */
export function withRequestScope<T>(method: string, handle: () => T): T {
  return method === "GET" || method === "HEAD" ? storage.run(new Map(), handle) : handle();
}

/** `make()` once per key within the current read request; outside one, every call makes. */
export function oncePerRequest<T>(key: string, make: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return make();
  let value = scope.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    scope.set(key, value);
  }
  return value;
}
