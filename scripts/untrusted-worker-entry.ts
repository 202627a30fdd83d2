/**
 * Entry of the untrusted-file reader: a child process (app/untrusted/untrusted-files.server.ts
 * forks it — build/untrusted-worker.mjs in production, this file through tsx elsewhere).
 */
import { serve } from "../app/untrusted/worker.server";

if (process.send) {
  serve({ on: (_event, listener) => process.on("message", listener), postMessage: (m) => process.send!(m) });
  // the server went away: nothing is left to read for
  process.on("disconnect", () => process.exit(0));
}
