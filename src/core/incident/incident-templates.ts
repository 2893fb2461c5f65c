/** The Markdown templates incident rendering fills (`templates/incident-*.md`), passed in as text. */
export interface IncidentTemplates {
  /** `templates/incident-issue.md`: the issue body. */
  issue: string;
  /** `templates/incident-resolved.md`: the closing comment with MTTD and MTTR. */
  resolved: string;
  /** `templates/incident-update.md`: a comment for a meaningful change or a reopen. */
  update: string;
  /** `templates/incident-manual.md`: the acknowledgement on a manually filed incident. */
  manual: string;
}
