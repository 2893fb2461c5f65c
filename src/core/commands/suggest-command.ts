import { INVISIBLE_CHARS } from "./validate-args.js";

/** Latin look-alikes in Cyrillic and Greek that turn up in pasted or spoofed commands. */
const CONFUSABLES: Record<string, string> = {
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  һ: "h",
  ԁ: "d",
  ɡ: "g",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  ν: "v",
  κ: "k",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
};

/**
 * "Did you mean": the known command a mistyped or spoofed word stands for — after NFKC folding, removal of
 * invisible characters and mapping of look-alike letters, within an edit distance of 2. `undefined` when
 * nothing is close (then the line is not meant for the bot, e.g. `/etc/hosts`).
 */
export function suggestCommand(word: string, known: readonly string[]): string | undefined {
  const folded = [...word.normalize("NFKC").toLowerCase()]
    .filter((ch) => !INVISIBLE_CHARS.test(ch))
    .map((ch) => CONFUSABLES[ch] ?? ch)
    .join("");
  if (folded.length < 3) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(folded, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
