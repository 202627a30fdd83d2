/**
 * The classic compiler keeps only *.server.ts modules out of the browser bundle, and a name
 * imported from one is `undefined` in the browser. A route component that uses such a name
 * renders on the server and then crashes in the browser. This test reads the route files and
 * fails when browser-side code (the component, ErrorBoundary, meta, links, and what they call)
 * uses a value imported from a *.server module, and when a non-route, non-server module
 * imports a *.server module at all.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const APP = path.resolve("app");
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const sources = files(APP).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
const isServerModule = (spec: string) => /\.server(\.tsx?)?$/.test(spec) || spec.startsWith("#db/");
const SERVER_ONLY_EXPORTS = new Set(["loader", "action", "headers"]);

function serverImports(sf: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || st.importClause?.isTypeOnly) continue;
    const spec = (st.moduleSpecifier as ts.StringLiteral).text;
    if (!isServerModule(spec)) continue;
    const b = st.importClause?.namedBindings;
    if (st.importClause?.name) names.set(st.importClause.name.text, spec);
    if (b && ts.isNamedImports(b)) for (const el of b.elements) if (!el.isTypeOnly) names.set(el.name.text, spec);
    if (b && ts.isNamespaceImport(b)) names.set(b.name.text, spec);
  }
  return names;
}

function topLevelDeclarations(sf: ts.SourceFile) {
  const decls = new Map<string, { node: ts.Node; exported: boolean; isDefault: boolean }>();
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(st) && st.name) decls.set(st.name.text, { node: st, exported, isDefault });
    else if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) decls.set(d.name.text, { node: d, exported, isDefault: false });
  }
  return decls;
}

/** Free identifiers a declaration uses: not property names, not names it declares itself (which shadow imports). */
function identifiersIn(node: ts.Node) {
  const used = new Set<string>();
  const local = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isTypeNode(n)) return; // types vanish at build time
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isBindingElement(p) && p.propertyName === n) ||
        ts.isJsxAttribute(p);
      const declares = (ts.isBindingElement(p) && p.name === n) || (ts.isParameter(p) && p.name === n) || (ts.isVariableDeclaration(p) && p.name === n && p !== node);
      if (declares) local.add(n.text);
      else if (!isPropertyName) used.add(n.text);
    }
    n.forEachChild(visit);
  };
  visit(node);
  for (const name of local) used.delete(name);
  return used;
}

describe("server-only code stays out of browser code", () => {
  // (a *.server module beside a route — its loader, its steps — never reaches the browser whole)
  for (const file of sources.filter((f) => (f.includes(`${path.sep}routes${path.sep}`) || f.endsWith("root.tsx")) && !/\.server\.tsx?$/.test(f))) {
    it(path.relative(APP, file), () => {
      const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const server = serverImports(sf);
      const decls = topLevelDeclarations(sf);
      // Browser roots: every export except loader/action/headers; then what they reach.
      const queue = [...decls].filter(([name, d]) => d.exported && !SERVER_ONLY_EXPORTS.has(name)).map(([name]) => name);
      const seen = new Set<string>();
      const offending: string[] = [];
      while (queue.length) {
        const name = queue.pop()!;
        if (seen.has(name)) continue;
        seen.add(name);
        for (const id of identifiersIn(decls.get(name)!.node)) {
          if (server.has(id)) offending.push(`${name} → ${id}（来自 ${server.get(id)}）`);
          if (decls.has(id) && !SERVER_ONLY_EXPORTS.has(id)) queue.push(id);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  it("no shared (non-route, non-server) module imports a *.server module", () => {
    const bad = sources
      .filter((f) => !/\.server\.tsx?$/.test(f) && !f.includes(`${path.sep}routes${path.sep}`) && !f.endsWith("root.tsx") && !f.endsWith("entry.server.tsx"))
      .flatMap((f) => {
        const sf = ts.createSourceFile(f, fs.readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
        return [...serverImports(sf).values()].map((spec) => `${path.relative(APP, f)} imports ${spec}`);
      });
    expect(bad).toEqual([]);
  });
});
