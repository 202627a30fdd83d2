/**
 * Vitest global setup of the integration tests: names this run for the demo-data copies its test
 * files share (tests/support/databases.ts), and removes them when the run ends.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { dropDemoTemplates } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    testRun: string;
  }
}

export default function setup(project: TestProject) {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  project.provide("testRun", run);
  return () => dropDemoTemplates(run);
}
