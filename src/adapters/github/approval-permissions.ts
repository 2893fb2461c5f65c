import { ROLES, type Role } from "../../core/commands/command-spec.js";
import type { TeamDirectory } from "../../workflows/ports/approvals.js";
import type { Permissions } from "../../workflows/ports/commands.js";
import { type GitHubOctokit, type GitHubRepoRef, statusOf } from "./git-data.js";

/**
 * `Permissions` read live: `GET /repos/{o}/{r}/collaborators/{user}/permission`. `role_name` carries the
 * five built-in roles (`permission` folds triage into read and maintain into write); a custom role falls
 * back to its base `permission`. A user who is not a collaborator gets 404 ⇒ `none`.
 */
export function createGitHubPermissions(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  teams: TeamDirectory,
): Permissions {
  return {
    async roleOf(login): Promise<Role> {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          ...repo,
          username: login,
        });
        const named = (data as { role_name?: string }).role_name;
        if (named && (ROLES as readonly string[]).includes(named)) return named as Role;
        const base = data.permission;
        return (ROLES as readonly string[]).includes(base) ? (base as Role) : "none";
      } catch (err) {
        if (statusOf(err) === 404) return "none";
        throw err;
      }
    },
    isActiveMember: (org, team, login) => teams.isActiveMember(org, team, login),
  };
}
