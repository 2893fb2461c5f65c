import type { WorkloadLocation } from "../../manifest/types.js";
import type { EvidenceItem } from "../../plan/remediation-plan.js";
import type { ArgoApplicationFacts } from "../cluster-facts.js";
import { formatImageRef, type ImageRef, imageVersion, parseImageRef, sameImage } from "../parse-image-ref.js";
import { redactLogLines } from "../redact-log-lines.js";
import { suggestCrashFix } from "../suggest-crash-fix.js";
import { type ActionContext, type ActionResult, done, fail, need } from "./action.js";
import { locateTarget } from "./locate-target.js";
import { readWorkloadImage, writeWorkloadImage } from "./workload-io.js";

/** Log lines quoted in the evidence: enough to see the failure, short enough for a PR body. */
const LOG_LINES = 20;

interface Candidate {
  image: ImageRef;
  source: "argocd" | "git" | "cluster";
  detail: string;
}

/**
 * Rolls a crash-looping workload back to its last good image. Where "last good" comes from, in order:
 * Argo CD's `status.history` (what was deployed before), the manifest's git history, the workload's
 * ReplicaSet revisions. The first earlier image that differs from the failing one (and is not quarantined)
 * wins; each source's outcome is recorded as evidence so a reviewer can check the choice.
 */
export function rollbackImage(ctx: ActionContext): ActionResult {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return namespace;
  const name = need(ctx, "workload");
  if (typeof name !== "string") return name;
  const wantedKind = ctx.input["kind"] || ctx.facts.workload?.kind || undefined;
  const located = locateTarget(ctx, { ...(wantedKind ? { kind: wantedKind } : {}), name, namespace });
  if (!located.ok) return located.result;
  const location = located.location;
  const kind = location.kind === "argo-application" ? location.workload.kind : location.ref.kind;
  const text = ctx.files.read(location.path);
  if (text === null) return fail("not-found", `${location.path} does not exist`);

  const evidence: EvidenceItem[] = [
    {
      source: "repository",
      label: "declared in",
      detail: `${location.path} (${location.kind}, found by ${location.via})`,
    },
  ];
  const crashing = pickCrashingContainer(ctx, ctx.input["container"]);
  const current = readWorkloadImage(location, text, crashing?.name ?? (ctx.input["container"] || undefined));
  if (!current.ok) return fail("not-found", current.reason);
  const container = current.value.container;
  const declared = current.value.image;
  // The image that crashes is what the pod runs; the declared one is what Git says. They differ when a
  // sync is pending or someone edited the cluster by hand: roll back from what actually fails.
  const bad = crashing?.image ? parseImageRef(crashing.image) : declared;
  if (crashing) evidence.push(...crashEvidence(ctx, crashing));

  const quarantined = (ctx.facts.quarantinedImages ?? []).map(parseImageRef);
  const usable = (img: ImageRef) =>
    !sameImage(img, bad) && !sameImage(img, declared) && !quarantined.some((q) => sameImage(q, img));
  const found =
    fromArgoHistory(ctx, location, container, usable, evidence, namespace, name) ??
    fromGitHistory(ctx, location, container, usable, evidence) ??
    fromReplicaSets(ctx, container, usable, evidence);
  if (!found) {
    return fail(
      "not-found",
      `no earlier image of ${kind} ${namespace}/${name} (container ${container}) differs from the failing ${formatImageRef(bad)}: nothing to roll back to (${evidence
        .filter((e) => e.label === "last good image")
        .map((e) => e.detail)
        .join("; ")})`,
    );
  }
  // Keep the declared repository when only the tag is known (Helm values, Kustomize newTag).
  const target: ImageRef = found.image.repository
    ? found.image
    : { ...found.image, repository: declared.repository };
  const patched = writeWorkloadImage(location, text, container, target);
  if (!patched.ok) return fail("refused", patched.reason);
  if (!patched.changed)
    return fail("nothing-to-do", `${location.path} already declares ${formatImageRef(target)}`);
  const summary = `image of ${kind} ${namespace}/${name} container ${container}: ${imageVersion(declared)} → ${imageVersion(target)} (last good, from ${found.detail})`;
  ctx.files.write(location.path, patched.text, ctx.step.id, summary);
  evidence.push({
    source: found.source,
    label: "rollback to",
    detail: `${formatImageRef(target)} — ${found.detail}`,
  });

  const suggestions = [];
  const fix = suggestCrashFix(
    container,
    crashing?.lastTerminated ?? crashing?.terminated,
    crashing?.memoryLimit,
  );
  if (fix) suggestions.push(fix);
  return done({
    target: `${kind} ${namespace}/${name}`,
    evidence,
    suggestions,
    undo: [
      `to roll forward again, set the image of ${kind} ${namespace}/${name} back to ${formatImageRef(declared)} once the crash is fixed`,
    ],
  });
}

function pickCrashingContainer(ctx: ActionContext, wanted: string | undefined) {
  const containers = ctx.facts.pod?.containers ?? [];
  if (wanted) return containers.find((c) => c.name === wanted);
  return (
    containers.find((c) => c.waiting?.reason === "CrashLoopBackOff") ??
    containers.find((c) => c.lastTerminated !== undefined) ??
    (containers.length === 1 ? containers[0] : undefined)
  );
}

function crashEvidence(
  ctx: ActionContext,
  c: NonNullable<ReturnType<typeof pickCrashingContainer>>,
): EvidenceItem[] {
  const pod = ctx.facts.pod!;
  const out: EvidenceItem[] = [
    {
      source: "cluster",
      label: "pod",
      detail: `${pod.namespace}/${pod.name} container ${c.name} runs ${c.image}: ${c.waiting?.reason ?? (c.ready ? "running" : "not ready")}, ${c.restartCount} restart(s)`,
    },
  ];
  const t = c.lastTerminated ?? c.terminated;
  if (t) {
    out.push({
      source: "cluster",
      label: "last termination",
      detail: `reason ${t.reason}, exit code ${t.exitCode}${t.finishedAt ? `, at ${t.finishedAt}` : ""}${t.message ? `: ${redactLogLines([t.message])[0]}` : ""}`,
    });
  }
  if (ctx.facts.logTail && ctx.facts.logTail.length > 0) {
    out.push({
      source: "cluster",
      label: "log tail (previous run, redacted)",
      detail: redactLogLines(ctx.facts.logTail.slice(-LOG_LINES)).join("\n"),
    });
  }
  for (const e of ctx.facts.events.filter((x) => x.type === "Warning").slice(0, 3)) {
    out.push({
      source: "cluster",
      label: `event ${e.reason}`,
      detail: `${redactLogLines([e.message])[0]} (×${e.count})`,
    });
  }
  return out;
}

function fromArgoHistory(
  ctx: ActionContext,
  location: WorkloadLocation,
  container: string,
  usable: (i: ImageRef) => boolean,
  evidence: EvidenceItem[],
  namespace: string,
  name: string,
): Candidate | null {
  const app = findApplication(ctx.facts.argoApplications, location, namespace, name);
  if (!app) {
    evidence.push({
      source: "argocd",
      label: "last good image",
      detail: "no Argo CD Application found for the workload",
    });
    return null;
  }
  const versions = ctx.facts.history[location.path] ?? [];
  // history[] is oldest first in Argo CD; the newest entry is what runs now, so look at the ones before it.
  const entries = [...app.history].sort((a, b) => b.id - a.id);
  for (const entry of entries) {
    let image: ImageRef | undefined;
    const helmTag =
      location.kind === "helm-values" || location.kind === "argo-application"
        ? entry.source?.helmValues?.[location.helmKeys.imageTag]
        : undefined;
    if (helmTag) {
      const repo =
        location.kind === "helm-values" || location.kind === "argo-application"
          ? entry.source?.helmValues?.[location.helmKeys.imageRepository]
          : undefined;
      image = { repository: repo ?? "", tag: helmTag };
    } else if (entry.source?.kustomizeImages?.length) {
      const imgs = entry.source.kustomizeImages.map(parseImageRef);
      image = imgs.length === 1 ? imgs[0] : imgs.find((i) => i.repository.endsWith(`/${name}`));
    } else {
      const v = versions.find(
        (x) =>
          entry.revision && (x.revision.startsWith(entry.revision) || entry.revision.startsWith(x.revision)),
      );
      if (v?.text) {
        const r = readWorkloadImage(location, v.text, container);
        if (r.ok) image = r.value.image;
      }
    }
    if (image && usable(image)) {
      return {
        image,
        source: "argocd",
        detail: `Argo CD Application ${app.namespace}/${app.name} status.history id ${entry.id} (revision ${entry.revision.slice(0, 12)}${entry.deployedAt ? `, deployed ${entry.deployedAt}` : ""})`,
      };
    }
  }
  evidence.push({
    source: "argocd",
    label: "last good image",
    detail: `Argo CD Application ${app.namespace}/${app.name}: ${app.history.length} history entr${app.history.length === 1 ? "y" : "ies"}, none with a readable earlier image`,
  });
  return null;
}

function findApplication(
  apps: readonly ArgoApplicationFacts[],
  location: WorkloadLocation,
  namespace: string,
  name: string,
): ArgoApplicationFacts | undefined {
  const dir = location.path.includes("/") ? location.path.slice(0, location.path.lastIndexOf("/")) : "";
  if (location.kind === "argo-application") {
    const byRef = apps.find((a) => a.name === location.ref.name);
    if (byRef) return byRef;
  }
  if (location.kind === "helm-values" && location.application) {
    const byApp = apps.find((a) => a.name === location.application?.name);
    if (byApp) return byApp;
  }
  const inNs = apps.filter((a) => !a.destinationNamespace || a.destinationNamespace === namespace);
  return (
    inNs.find((a) => a.source?.path && (dir === a.source.path || dir.startsWith(`${a.source.path}/`))) ??
    inNs.find((a) => a.name === name)
  );
}

function fromGitHistory(
  ctx: ActionContext,
  location: WorkloadLocation,
  container: string,
  usable: (i: ImageRef) => boolean,
  evidence: EvidenceItem[],
): Candidate | null {
  const versions = (ctx.facts.history[location.path] ?? []).filter((v) => !v.subject.startsWith("(Argo CD"));
  if (versions.length === 0) {
    evidence.push({
      source: "git",
      label: "last good image",
      detail: `no git history of ${location.path}${ctx.facts.historyNote ? ` (${ctx.facts.historyNote})` : ""}`,
    });
    return null;
  }
  for (const v of versions) {
    if (!v.text) continue;
    const r = readWorkloadImage(location, v.text, container);
    if (r.ok && usable(r.value.image)) {
      return {
        image: r.value.image,
        source: "git",
        detail: `git history of ${location.path}: commit ${v.revision.slice(0, 12)} (${v.date}) "${v.subject.slice(0, 80)}"`,
      };
    }
  }
  evidence.push({
    source: "git",
    label: "last good image",
    detail: `${versions.length} commit(s) of ${location.path}, none with an earlier usable image`,
  });
  return null;
}

function fromReplicaSets(
  ctx: ActionContext,
  container: string,
  usable: (i: ImageRef) => boolean,
  evidence: EvidenceItem[],
): Candidate | null {
  const revisions = [...ctx.facts.revisions].sort((a, b) => b.revision - a.revision);
  for (const rs of revisions) {
    const img = rs.images[container];
    if (img && usable(parseImageRef(img))) {
      return {
        image: parseImageRef(img),
        source: "cluster",
        detail: `ReplicaSet ${rs.name} revision ${rs.revision}${rs.createdAt ? ` (created ${rs.createdAt})` : ""}`,
      };
    }
  }
  evidence.push({
    source: "cluster",
    label: "last good image",
    detail: ctx.facts.clusterKnown
      ? `${revisions.length} ReplicaSet revision(s), none with an earlier image of container ${container}`
      : "no cluster facts, so no ReplicaSet revisions",
  });
  return null;
}
