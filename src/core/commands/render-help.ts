import { describeWho } from "./check-permission.js";
import { ROLES } from "./command-spec.js";
import { COMMANDS } from "./registry.js";

const PLACE = { pull_request: "pull requests", issue: "incident issues" } as const;

/** The `/help` reply, generated from each command's own usage, permission and examples. */
export function renderHelp(): string {
  const rows = COMMANDS.map(
    (c) =>
      `| ${c.usage.map((u) => `\`${u}\``).join("<br>")} | ${c.summary} | ${describeWho(c)} | ${c.places.map((p) => PLACE[p]).join(", ")} |`,
  );
  const examples = COMMANDS.flatMap((c) => c.examples).map((e) => `    ${e}`);
  return [
    "### gitops-medic commands",
    "",
    "Write a command at the start of a line in a new comment (edited comments are ignored; so are quotes, code blocks and HTML comments).",
    "",
    "| command | what it does | who may use it | where |",
    "|---|---|---|---|",
    ...rows,
    "",
    "Examples:",
    "",
    ...examples,
  ].join("\n");
}

/** The permission table of docs/commands.md: every command × every role, generated from the registry. */
export function renderPermissionTable(): string {
  const cols = [...ROLES, "outside collaborator", "bot or app"];
  const header = `| command | ${cols.join(" | ")} |`;
  const sep = `|---|${cols.map(() => "---").join("|")}|`;
  const rows = COMMANDS.map((c) => {
    const cells = ROLES.map((r) => {
      const ok = ROLES.indexOf(r) >= ROLES.indexOf(c.who.minRole);
      return ok ? (c.who.overrideList ? "if listed" : "yes") : "no";
    });
    const outside = "as their role";
    return `| \`/${c.name}\` | ${[...cells, outside, "ignored"].join(" | ")} |`;
  });
  return [header, sep, ...rows].join("\n");
}

/** The whole generated part of docs/commands.md. */
export function renderCommandsDoc(): string {
  return [
    "<!-- generated from src/core/commands/registry.ts; refresh: MEDIC_WRITE_DOCS=1 npx vitest run test/core/commands/render-help.test.ts -->",
    "",
    "## Commands",
    "",
    renderHelp().split("\n").slice(4).join("\n"),
    "",
    "## Who may run what",
    "",
    "The role is read live from GitHub (`GET /repos/{owner}/{repo}/collaborators/{user}/permission`) each time",
    'a command runs. "if listed": the person must also be in `approval.overrideUsers`. Outside collaborators are',
    "judged by the role they were given on the repository. Bots and apps are ignored: no reaction, no reply.",
    "",
    renderPermissionTable(),
    "",
  ].join("\n");
}
