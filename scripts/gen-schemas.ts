// `npm run schema`: writes the JSON Schemas listed in scripts/schemas.ts.
import { writeFileSync } from "node:fs";
import { generatedSchemas, renderSchema } from "./schemas.js";

for (const entry of generatedSchemas) {
  writeFileSync(new URL(`../${entry.file}`, import.meta.url), await renderSchema(entry));
  process.stdout.write(`wrote ${entry.file}\n`);
}
