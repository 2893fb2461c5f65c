import { UsageError } from "./command.js";

export interface FlagSpec {
  /** Flags that take a value (`--repo DIR` or `--repo=DIR`); the last one given wins. */
  values?: readonly string[];
  /** Flags that take a value and may repeat (`--policies A --policies B`). */
  repeated?: readonly string[];
  /** Flags without a value. */
  booleans?: readonly string[];
  /** Whether bare arguments (paths) are allowed; `--` ends the flags. */
  positionals?: boolean;
}

export interface Flags {
  value(name: string): string | undefined;
  all(name: string): string[];
  has(name: string): boolean;
  positionals: string[];
}

/**
 * The one argument reader of the `medic` sub-commands: strict (an unknown option or a missing value is a
 * usage error naming it), `--flag value` and `--flag=value`, no abbreviations.
 */
export function readFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  const takesValue = new Set([...(spec.values ?? []), ...(spec.repeated ?? [])]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--" && spec.positionals) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      if (!spec.positionals) throw new UsageError(`unexpected argument ${a}`);
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const [flag, inline] = a.startsWith("--") && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (spec.booleans?.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      booleans.add(flag);
      continue;
    }
    if (!takesValue.has(flag)) throw new UsageError(`unknown option ${a}`);
    const v = inline ?? argv[++i];
    if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
    values.set(flag, [...(values.get(flag) ?? []), v]);
  }
  return {
    value: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
    has: (name) => booleans.has(name),
    positionals,
  };
}
