/** Entry of the untrusted-file worker in the production build (build/untrusted-worker.mjs): see app/untrusted/untrusted-files.server.ts. */
import { parentPort } from "node:worker_threads";
import { serve } from "../app/untrusted/worker.server";

if (parentPort) serve(parentPort);
