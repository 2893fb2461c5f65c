import type { RecordedComment } from "../../core/commands/command-record.js";
import type { Conversation } from "../../workflows/ports/commands.js";
import type { BeforeWrite, GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/** GitHub rejects comment bodies over 65,536 characters. */
const MAX_BODY = 65_000;

/** `Conversation` over issue comments and reactions (pull requests are issues for comments). */
export function createGitHubConversation(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  beforeWrite: BeforeWrite,
): Conversation {
  return {
    async listComments(number): Promise<RecordedComment[]> {
      const list = await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: number,
        per_page: 100,
      });
      return list.map((c) => ({
        id: c.id,
        author: c.user ? { login: c.user.login, type: c.user.type } : null,
        body: c.body ?? "",
        createdAt: c.created_at,
      }));
    },
    async reply(number, body) {
      await beforeWrite();
      const text = body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n… (truncated)` : body;
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: text });
    },
    async react(commentId, reaction) {
      // GitHub answers 200 (not 201) for a reaction that already exists, so a redelivery is harmless.
      await beforeWrite();
      await octokit.rest.reactions.createForIssueComment({
        ...repo,
        comment_id: commentId,
        content: reaction,
      });
    },
  };
}
