import type { TeamDirectory } from "../../workflows/ports/approvals.js";
import { type GitHubOctokit, statusOf } from "./git-data.js";

/** Answers kept for at most `ttlMs` (≤ 60 s), shared by the events of one process. */
export interface TeamMembershipCache {
  get(key: string): boolean | undefined;
  set(key: string, value: boolean): void;
}

export function createTeamMembershipCache(opts: { ttlMs: number; now: () => number }): TeamMembershipCache {
  const ttl = Math.min(opts.ttlMs, 60_000);
  const entries = new Map<string, { value: boolean; expires: number }>();
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.expires <= opts.now()) {
        entries.delete(key);
        return undefined;
      }
      return e.value;
    },
    set(key, value) {
      if (ttl <= 0) return;
      if (entries.size > 5_000) entries.clear();
      entries.set(key, { value, expires: opts.now() + ttl });
    },
  };
}

/**
 * `TeamDirectory` over `GET /orgs/{org}/teams/{team}/memberships/{user}`: only `state: active` counts
 * (an invited, pending member is not a member yet); 404 means not a member.
 */
export function createGitHubTeamDirectory(octokit: GitHubOctokit, cache: TeamMembershipCache): TeamDirectory {
  return {
    async isActiveMember(org, team, login) {
      const key = `${org}/${team}/${login}`.toLowerCase();
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      let active: boolean;
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
          org,
          team_slug: team,
          username: login,
        });
        active = data.state === "active";
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        active = false;
      }
      cache.set(key, active);
      return active;
    },
  };
}
