/** Team membership, as the approval gate needs it. */
export interface TeamDirectory {
  /** Whether `login` is an active (not pending) member of `org/team`. */
  isActiveMember(org: string, team: string, login: string): Promise<boolean>;
}

/** The `medic/approval` check run. */
export interface ApprovalCheck {
  publish(input: {
    headSha: string;
    conclusion: "success" | "failure";
    title: string;
    summary: string;
  }): Promise<void>;
}

/** The name of the check run branch protection should require. */
export const APPROVAL_CHECK_NAME = "medic/approval";
