/** Entry of the render worker in the production build (build/render-worker.mjs): see app/letters/render-pool.server.ts. */
import { parentPort } from "node:worker_threads";
import { serve } from "../app/letters/render-worker.server";

if (parentPort) serve(parentPort);
