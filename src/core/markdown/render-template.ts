/**
 * Fills `{{name}}` placeholders in a Markdown template (`templates/*.md`). Values are inserted as given:
 * callers escape untrusted text first (`escapeMarkdown`, `renderCodeBlock`). An unknown or missing
 * placeholder throws, so a template and its renderer cannot drift apart silently.
 */
export function renderTemplate(template: string, values: Record<string, string>, name = "template"): string {
  return template.replace(/\{\{\s*([a-zA-Z][\w]*)\s*\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`${name}: no value for placeholder {{${key}}}`);
    return v;
  });
}
