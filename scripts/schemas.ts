import { readdirSync } from "node:fs";
import { z } from "zod";
import { MedicConfig } from "../src/core/config/medic-config.js";
import { EvidencePack } from "../src/core/evidence/evidence-pack.js";
import { RecordedExport } from "../src/core/evidence/recorded-export.js";
import { Runbook } from "../src/core/runbook/runbook.js";
import { attachJsDocDescriptions } from "./jsdoc-descriptions.js";

/** JSON Schemas generated from the zod schemas (their JSDoc lines become descriptions). Add yours here. */
export const generatedSchemas: { file: string; title: string; schema: z.ZodType }[] = [
  { file: "docs/medic.schema.json", title: "gitops-medic .github/medic.yml", schema: MedicConfig },
  { file: "docs/runbook.schema.json", title: "gitops-medic runbook (runbooks/*.yaml)", schema: Runbook },
  {
    file: "docs/evidence.schema.json",
    title: "gitops-medic evidence.json (medic evidence)",
    schema: EvidencePack,
  },
  {
    file: "docs/export.schema.json",
    title: "gitops-medic recorded export (medic evidence --from, medic noise --from)",
    schema: RecordedExport,
  },
];

/** Modules whose exported zod schemas carry the JSDoc lines to use as descriptions. */
export const describedModules = [
  "src/core/config/medic-config.ts",
  ...readdirSync(new URL("../src/core/config/sections/", import.meta.url))
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => `src/core/config/sections/${f}`),
  "src/core/runbook/runbook.ts",
  "src/core/audit/audit-record.ts",
  "src/core/evidence/evidence-pack.ts",
  "src/core/evidence/recorded-export.ts",
];

let described: Promise<void> | undefined;

export async function renderSchema(entry: (typeof generatedSchemas)[number]): Promise<string> {
  described ??= attachJsDocDescriptions(describedModules);
  await described;
  const json = z.toJSONSchema(entry.schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return `${JSON.stringify({ title: entry.title, ...json }, null, 2)}\n`;
}
