import type { EvidencePack } from "./evidence-pack.js";
import type { ChartSpec } from "./render-svg-chart.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const COLORS = {
  mttd: "#0969da",
  mttr: "#cf222e",
  restore: "#8250df",
  deploy: "#1a7f37",
  lead: "#bf8700",
  fail: "#cf222e",
  fixed: "#1a7f37",
  found: "#cf222e",
};

/** Picks minutes or hours so the numbers on the axis stay readable. */
function durationScale(values: (number | null)[]): { unit: string; div: number } {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  return max >= 10 * HOUR ? { unit: "hours", div: HOUR } : { unit: "minutes", div: MIN };
}

const scaled = (values: (number | null)[], div: number) => values.map((v) => (v === null ? null : v / div));
const week = (iso: string) => iso.slice(5, 10);

/** The charts of the HTML report, in display order. */
export function buildEvidenceCharts(pack: EvidencePack): ChartSpec[] {
  const measured = pack.incidents.filter((i) => i.inRange);
  const perInc = durationScale(measured.flatMap((i) => [i.mttdMs, i.mttrMs]));
  const weeks = pack.dora.weekly;
  const labels = weeks.map((w) => week(w.weekStart));
  const trend = durationScale(weeks.flatMap((w) => [w.mttdMedianMs, w.mttrMedianMs]));
  const lead = durationScale(weeks.map((w) => w.leadTimeMedianMs));
  const restore = durationScale(weeks.map((w) => w.timeToRestoreMedianMs));
  return [
    {
      id: "incident-durations",
      title: "MTTD and MTTR per incident",
      kind: "bar",
      labels: measured.map((i) => `#${i.number}`),
      series: [
        {
          name: "MTTD",
          color: COLORS.mttd,
          values: scaled(
            measured.map((i) => i.mttdMs),
            perInc.div,
          ),
        },
        {
          name: "MTTR",
          color: COLORS.mttr,
          values: scaled(
            measured.map((i) => i.mttrMs),
            perInc.div,
          ),
        },
      ],
      unit: perInc.unit,
    },
    {
      id: "incident-trend",
      title: "MTTD and MTTR over time (weekly median)",
      kind: "line",
      labels,
      series: [
        {
          name: "MTTD",
          color: COLORS.mttd,
          values: scaled(
            weeks.map((w) => w.mttdMedianMs),
            trend.div,
          ),
        },
        {
          name: "MTTR",
          color: COLORS.mttr,
          values: scaled(
            weeks.map((w) => w.mttrMedianMs),
            trend.div,
          ),
        },
      ],
      unit: trend.unit,
    },
    {
      id: "dora-deployment-frequency",
      title: "Deployment frequency (deployments per week)",
      kind: "bar",
      labels,
      series: [{ name: "deployments", color: COLORS.deploy, values: weeks.map((w) => w.deployments) }],
      unit: "deployments",
    },
    {
      id: "dora-lead-time",
      title: "Lead time for changes (weekly median)",
      kind: "line",
      labels,
      series: [
        {
          name: "lead time",
          color: COLORS.lead,
          values: scaled(
            weeks.map((w) => w.leadTimeMedianMs),
            lead.div,
          ),
        },
      ],
      unit: lead.unit,
    },
    {
      id: "dora-change-failure-rate",
      title: "Change failure rate (per week)",
      kind: "bar",
      labels,
      series: [
        {
          name: "failed deployments",
          color: COLORS.fail,
          values: weeks.map((w) => (w.changeFailureRate === null ? null : w.changeFailureRate * 100)),
        },
      ],
      unit: "%",
    },
    {
      id: "dora-time-to-restore",
      title: "Time to restore (weekly median)",
      kind: "line",
      labels,
      series: [
        {
          name: "time to restore",
          color: COLORS.restore,
          values: scaled(
            weeks.map((w) => w.timeToRestoreMedianMs),
            restore.div,
          ),
        },
      ],
      unit: restore.unit,
    },
    {
      id: "violations",
      title: "Policy violations found vs fixed (per week)",
      kind: "bar",
      labels,
      series: [
        { name: "found", color: COLORS.found, values: weeks.map((w) => w.violationsFound) },
        { name: "fixed", color: COLORS.fixed, values: weeks.map((w) => w.violationsFixed) },
      ],
      unit: "violations",
    },
  ];
}
