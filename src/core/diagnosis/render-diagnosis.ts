import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderCodeBlock } from "../markdown/render-code-block.js";
import { renderMarker } from "../markdown/render-marker.js";
import { renderTemplate } from "../markdown/render-template.js";
import type { PlanFacts } from "../runbook/plan-facts.js";
import { redactLogLines } from "../runbook/redact-log-lines.js";

const e = (s: string, max = 300) => escapeMarkdown(s, max);

/**
 * The diagnosis comment of an incident (`templates/diagnosis-comment.md`): pod and container state
 * (waiting reason, last termination reason and exit code, restarts), owner chain, ReplicaSet revisions
 * with their images and the last good one, node conditions and taints, PVC capacity and whether its
 * StorageClass allows expansion, warning events, Argo CD Applications in the namespace, and the previous
 * run's log tail (redacted). Every value from the cluster is escaped.
 */
export function renderDiagnosis(
  facts: PlanFacts,
  input: { incidentKey: string; cluster: string; template: string },
): { body: string; markerId: string } {
  const at = new Date(facts.now).toISOString();
  const markerId = `${input.incidentKey}/diagnosis/${facts.now}`;
  const sections: string[] = [];
  if (facts.pod) {
    const p = facts.pod;
    const rows = p.containers.map((c) => {
      const last = c.lastTerminated ?? c.terminated;
      return `| ${e(c.name, 100)} | ${e(c.image, 200)} | ${c.waiting ? e(c.waiting.reason, 100) : c.ready ? "Ready" : "not ready"} | ${last ? `${e(last.reason, 100)} (exit ${last.exitCode})` : "—"} | ${c.restartCount} | ${c.memoryLimit ? e(c.memoryLimit, 30) : "—"} |`;
    });
    sections.push(
      [
        `#### Pod ${e(`${p.namespace}/${p.name}`)} (${e(p.phase, 50)}${p.nodeName ? ` on ${e(p.nodeName, 100)}` : ""})`,
        "",
        "| container | image | state | last termination | restarts | memory limit |",
        "|---|---|---|---|---|---|",
        ...rows,
      ].join("\n"),
    );
  }
  if (facts.owners.length > 0) {
    sections.push(`**Owner chain:** ${facts.owners.map((o) => e(`${o.kind} ${o.name}`)).join(" → ")}`);
  }
  if (facts.revisions.length > 0) {
    const current = facts.revisions[0]!;
    const lastGood = facts.revisions.find((r) => r !== current && r.readyReplicas > 0) ?? facts.revisions[1];
    sections.push(
      [
        "#### Revisions (newest first)",
        "",
        ...facts.revisions.slice(0, 5).map(
          (r) =>
            `- ${r.revision}: ${Object.entries(r.images)
              .map(([c, i]) => `${e(c, 100)}=${e(i, 200)}`)
              .join(
                ", ",
              )} — ${r.readyReplicas}/${r.replicas} ready${r === lastGood ? " **(last good)**" : ""}`,
        ),
      ].join("\n"),
    );
  }
  if (facts.node) {
    const n = facts.node;
    const conds = n.conditions.map(
      (c) => `${e(c.type, 50)}=${e(c.status, 10)}${c.reason ? ` (${e(c.reason, 100)})` : ""}`,
    );
    const taints = n.taints.map((t) => e(`${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`, 200));
    sections.push(
      `#### Node ${e(n.name, 200)}${n.unschedulable ? " (cordoned)" : ""}\n\n- conditions: ${conds.join(", ") || "none"}\n- taints: ${taints.join(", ") || "none"}\n- pods on it: ${facts.nodePods.length}`,
    );
  }
  if (facts.pvc) {
    const sc = facts.storageClass;
    sections.push(
      `#### Volume ${e(`${facts.pvc.namespace}/${facts.pvc.name}`)}\n\n- capacity ${e(facts.pvc.capacity ?? "?", 30)}, requested ${e(facts.pvc.requested ?? "?", 30)}\n- storage class ${e(facts.pvc.storageClassName ?? "(default)", 100)}: ${sc ? (sc.allowVolumeExpansion === true ? "allows expansion" : "does **not** allow expansion (`allowVolumeExpansion` is not true)") : "not found"}`,
    );
  }
  const warnings = facts.events.filter((x) => x.type === "Warning").slice(0, 5);
  if (warnings.length > 0) {
    sections.push(
      [
        "#### Warning events",
        "",
        ...warnings.map(
          (w) => `- ${e(w.reason, 100)} ×${w.count}: ${e(redactLogLines([w.message])[0] ?? "", 300)}`,
        ),
      ].join("\n"),
    );
  }
  const ns = facts.pod?.namespace ?? facts.workload?.namespace;
  const apps = facts.argoApplications.filter((a) => !ns || a.destinationNamespace === ns).slice(0, 5);
  if (apps.length > 0) {
    sections.push(
      [
        "#### Argo CD",
        "",
        ...apps.map(
          (a) =>
            `- ${e(`${a.namespace}/${a.name}`)}: ${e(a.syncStatus ?? "Unknown", 30)} ${e((a.syncRevision ?? "").slice(0, 7), 10)}, ${e(a.healthStatus ?? "Unknown", 30)}; ${a.history.length} revision(s) in history${a.history.length > 1 ? `, previous ${e(a.history.at(-2)!.revision.slice(0, 7), 10)}` : ""}`,
        ),
      ].join("\n"),
    );
  }
  if (facts.logTail && facts.logTail.length > 0) {
    sections.push(
      `#### Log tail of the previous run (redacted)\n\n${renderCodeBlock(redactLogLines(facts.logTail.slice(-30)).join("\n"))}`,
    );
  }
  if (sections.length === 0) sections.push("_No cluster facts found for this incident's target._");
  const body = renderTemplate(
    input.template,
    {
      marker: renderMarker("incident-comment", markerId),
      incidentKey: e(input.incidentKey),
      cluster: e(input.cluster, 100),
      at,
      note: facts.clusterKnown ? "" : e(facts.clusterNote ?? "cluster facts unavailable", 500),
      sections: sections.join("\n\n"),
    },
    "diagnosis-comment.md",
  );
  return { body, markerId };
}
