import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedSchemas, renderSchema } from "../../scripts/schemas.js";

describe("generated JSON Schemas are fresh (run `npm run schema` after changing a zod schema)", () => {
  it.each(generatedSchemas.map((s) => [s.file, s]))("%s", async (file, entry) => {
    const onDisk = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    expect(onDisk).toBe(await renderSchema(entry));
  });
});
