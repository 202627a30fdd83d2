/**
 * How TypeScript entry points are compiled for plain `node` (the production build, and the CLI the
 * integration tests run): one ES module per entry, npm packages left in node_modules.
 */
/** @type {import("esbuild").BuildOptions} */
export const nodeBundle = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  logLevel: "warning",
  // CommonJS packages imported by name still need `require` inside an ES module
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};
