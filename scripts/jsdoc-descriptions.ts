import { readFileSync } from "node:fs";
import ts from "typescript";
import { z } from "zod";

/**
 * Our convention is a JSDoc line on every zod field. zod cannot see comments, so this reads them with the
 * TypeScript parser and registers them as descriptions, which `z.toJSONSchema` then emits.
 */
export async function attachJsDocDescriptions(moduleFiles: string[]): Promise<void> {
  for (const file of moduleFiles) {
    const url = new URL(`../${file}`, import.meta.url);
    const source = ts.createSourceFile(file, readFileSync(url, "utf8"), ts.ScriptTarget.Latest, true);
    const mod = (await import(url.href)) as Record<string, unknown>;
    source.forEachChild((node) => {
      if (!ts.isVariableStatement(node)) return;
      for (const decl of node.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
        const schema = mod[decl.name.text];
        if (!(schema instanceof z.ZodType)) continue;
        const literal = findObjectLiteral(decl.initializer);
        if (!literal) continue;
        const shape = objectShape(schema);
        if (!shape) continue;
        for (const prop of literal.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
          const doc = ts
            .getJSDocCommentsAndTags(prop)
            .map((d) => (typeof d.comment === "string" ? d.comment : ""))
            .join(" ")
            .trim();
          const field = shape[prop.name.text];
          if (doc && field)
            z.globalRegistry.add(field, { ...(z.globalRegistry.get(field) ?? {}), description: doc });
        }
      }
    });
  }
}

function findObjectLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(node)) return node;
  let found: ts.ObjectLiteralExpression | undefined;
  node.forEachChild((child) => {
    found ??= findObjectLiteral(child);
  });
  return found;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 10 && s; i++) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
    const def = (s as { def?: { innerType?: unknown; in?: unknown; schema?: unknown } }).def;
    s = def?.innerType ?? def?.in ?? def?.schema;
  }
  return undefined;
}
