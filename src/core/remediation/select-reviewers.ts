import { type Codeowners, findOwners } from "../approval/parse-codeowners.js";

/** GitHub accepts at most 15 requested reviewers (users and teams together) on a pull request. */
export const MAX_REVIEW_REQUESTS = 15;

export interface ReviewerSelection {
  /** Logins to request. */
  users: string[];
  /** Team slugs to request (only teams of the repository's organisation can be requested). */
  teams: string[];
  /** Changed paths no CODEOWNERS line owns (said in the PR body; a person must pick a reviewer). */
  unowned: string[];
}

/**
 * Reviewers for a change: the code owners of every changed path (the last matching CODEOWNERS line wins),
 * minus people who may not review it — the requester and bots. E-mail owners cannot be requested through
 * the API and teams of another organisation are refused by GitHub, so both are left out.
 */
export function selectReviewers(input: {
  codeowners: Codeowners | null;
  paths: readonly string[];
  /** The repository owner (organisation); teams elsewhere are skipped. */
  org: string;
  /** Logins never requested (requester, the bot itself). Compared case-insensitively. */
  exclude: readonly (string | null | undefined)[];
}): ReviewerSelection {
  const users: string[] = [];
  const teams: string[] = [];
  const unowned: string[] = [];
  const excluded = new Set(input.exclude.filter((x): x is string => !!x).map((x) => x.toLowerCase()));
  const seen = new Set<string>();
  for (const path of input.paths) {
    const rule = input.codeowners ? findOwners(input.codeowners, path) : undefined;
    if (!rule || rule.owners.length === 0) {
      unowned.push(path);
      continue;
    }
    for (const owner of rule.owners) {
      if (owner.kind === "user") {
        const k = owner.login.toLowerCase();
        if (excluded.has(k) || k.endsWith("[bot]") || seen.has(`u:${k}`)) continue;
        seen.add(`u:${k}`);
        users.push(owner.login);
      } else if (owner.kind === "team") {
        const k = owner.team.toLowerCase();
        if (owner.org.toLowerCase() !== input.org.toLowerCase() || seen.has(`t:${k}`)) continue;
        seen.add(`t:${k}`);
        teams.push(owner.team);
      }
    }
  }
  const room = Math.max(0, MAX_REVIEW_REQUESTS - users.length);
  return { users: users.slice(0, MAX_REVIEW_REQUESTS), teams: teams.slice(0, room), unowned };
}
