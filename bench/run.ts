// `npm run bench -- NAME…` runs bench/NAME.ts (each exports `run(): Promise<string>` returning its summary line).
import { readdirSync } from "node:fs";

const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length > 0 ? wanted : available;
for (const name of names) {
  if (!available.includes(name)) {
    process.stderr.write(
      `bench: unknown benchmark "${name}"; available: ${available.join(", ") || "(none)"}\n`,
    );
    process.exit(2);
  }
}
for (const name of names) {
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<string> };
  const line = await mod.run();
  process.stdout.write(`${line}\n`);
}
