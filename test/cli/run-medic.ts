import { main } from "../../src/cli/main.js";

/** Runs `medic ARGS` in-process with captured output. */
export async function runMedic(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}
