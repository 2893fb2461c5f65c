import type { NoiseReport } from "./analyze-noise.js";
import { describeAlertNoise, describeProposal, describeStats } from "./describe-proposal.js";

/** The `medic noise` text report: one line per alert (noisiest first), then the proposals. */
export function renderNoiseText(report: NoiseReport): string {
  const lines = [
    `Alert noise ${new Date(report.from).toISOString()} – ${new Date(report.to).toISOString()}`,
    "",
  ];
  if (report.alerts.length === 0) lines.push("No incidents in this period.");
  const width = Math.max(5, ...report.alerts.map((a) => a.alertname.length));
  for (const a of report.alerts) {
    lines.push(
      `${a.noisy ? "NOISY" : "     "} ${a.alertname.padEnd(width)}  ${a.severity ?? "-"}  ${describeAlertNoise(a)}`,
    );
  }
  lines.push("");
  if (report.proposals.length === 0) lines.push("No tuning proposals.");
  else {
    lines.push("Tuning proposals:");
    for (const p of report.proposals) lines.push(`- [${p.id}] ${describeProposal(p)} — ${describeStats(p)}`);
  }
  return `${lines.join("\n")}\n`;
}
