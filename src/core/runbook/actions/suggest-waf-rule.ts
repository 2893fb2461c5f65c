import { type ActionContext, type ActionResult, done, need } from "./action.js";

/**
 * A WAF rule to consider, never applied: ModSecurity with the OWASP Core Rule Set in detection mode first,
 * so false positives show in the audit log before anything is blocked. Snippet annotations are off by
 * default since ingress-nginx 1.9 (and were the vector of CVE-2025-1974), so the suggestion says where
 * the rule belongs instead of pasting it into an annotation.
 */
export function suggestWafRule(ctx: ActionContext): ActionResult {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return namespace;
  const ingress = need(ctx, "ingress");
  if (typeof ingress !== "string") return ingress;
  const body = [
    `If the 5xx spike on Ingress ${namespace}/${ingress} comes from abusive or malformed requests, turn on`,
    "ModSecurity with the OWASP Core Rule Set for this Ingress, in detection mode first:",
    "",
    "```yaml",
    "metadata:",
    "  annotations:",
    '    nginx.ingress.kubernetes.io/enable-modsecurity: "true"',
    '    nginx.ingress.kubernetes.io/enable-owasp-core-rules: "true"',
    "```",
    "",
    "and, in the controller's ModSecurity configuration (not a snippet annotation: those are disabled by",
    "default since ingress-nginx 1.9 and were the vector of CVE-2025-1974), a rule that blocks clients",
    "repeatedly hitting server errors:",
    "",
    "```",
    "SecRuleEngine DetectionOnly",
    'SecAction "id:900700,phase:1,nolog,pass,initcol:ip=%{REMOTE_ADDR},setvar:ip.err5xx_block=0"',
    'SecRule RESPONSE_STATUS "@rx ^5\\d\\d$" "id:900701,phase:5,nolog,pass,setvar:ip.err5xx=+1,expirevar:ip.err5xx=60"',
    'SecRule IP:ERR5XX "@gt 50" "id:900702,phase:1,deny,status:429,log,msg:\'client causes repeated 5xx\'"',
    "```",
    "",
    "Switch SecRuleEngine to On once the audit log shows no false positives. ingress-nginx is retired",
    "(maintenance ended March 2026): plan the same rule for its replacement (e.g. a Gateway API",
    "implementation with a WAF filter).",
  ].join("\n");
  return done({
    suggestions: [{ title: `WAF rule for Ingress ${namespace}/${ingress} (suggestion, not applied)`, body }],
  });
}
