import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
  scaleQuantity,
} from "../../manifest/quantity.js";
import { readPvcStorage } from "../../manifest/read-pvc-storage.js";
import { setPvcStorage } from "../../manifest/set-pvc-storage.js";
import type { EvidenceItem } from "../../plan/remediation-plan.js";
import { type ActionContext, type ActionResult, done, fail, need } from "./action.js";
import { findOne, refOf } from "./find-in-repo.js";

const GI = parseQuantity("1Gi");

/**
 * Expands a PersistentVolumeClaim's storage request by `with.factor` (default 1.5, rounded up to whole
 * Gi), capped at `limits.maxVolumeSize`. Refused when the storage class is known not to allow expansion
 * (cluster facts first, else the StorageClass manifest in the repository); sizes never shrink.
 */
export function expandPvc(ctx: ActionContext): ActionResult {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return namespace;
  const name = need(ctx, "pvc");
  if (typeof name !== "string") return name;
  const factor = Number(ctx.input["factor"] ?? "1.5");
  if (!Number.isFinite(factor) || factor <= 1 || factor > 10) {
    return fail("invalid", `step "${ctx.step.id}": with.factor must be a number in (1, 10]`);
  }
  const found = findOne(ctx.files, "PersistentVolumeClaim", namespace, name);
  if (!found.ok) {
    if (found.candidates.length > 1) {
      return fail(
        "ambiguous",
        `PersistentVolumeClaim ${namespace}/${name} is declared more than once`,
        found.candidates,
      );
    }
    return fail(
      "not-found",
      `PersistentVolumeClaim ${namespace}/${name} is not declared in the repository (a claim created from a StatefulSet's volumeClaimTemplates cannot be expanded in Git; declare it or expand it by hand)`,
    );
  }
  const path = found.found.path;
  const text = ctx.files.read(path)!;
  const read = readPvcStorage(text, refOf(found.found), path);
  if (!read.ok) return fail("refused", read.reason);
  const evidence: EvidenceItem[] = [];
  const requested = read.value.storage;
  let current: Quantity = requested;
  const pvcFacts = ctx.facts.pvc;
  if (pvcFacts?.capacity) {
    const cap = parseQuantity(pvcFacts.capacity);
    if (cap.ok) {
      evidence.push({
        source: "cluster",
        label: "volume",
        detail: `PVC ${namespace}/${name}: requested ${pvcFacts.requested ?? requested.raw}, capacity ${pvcFacts.capacity}, storage class ${pvcFacts.storageClassName ?? "(default)"}`,
      });
      // The provisioner may round up; grow from what the volume really has.
      if (compareQuantity(cap.quantity, current) > 0) current = cap.quantity;
    }
  }

  const className = pvcFacts?.storageClassName ?? read.value.storageClassName;
  const allow = storageClassAllows(ctx, className);
  evidence.push({ source: allow.source, label: "storage class", detail: allow.detail });
  if (allow.allowed === false) {
    return fail(
      "refused",
      `storage class ${className} does not allow volume expansion (allowVolumeExpansion is not true); move the data to a larger volume instead`,
    );
  }

  let next = scaleQuantity(current, factor, GI.ok ? GI.quantity : undefined);
  let note = "";
  const limitText = ctx.runbook.limits.maxVolumeSize;
  if (limitText) {
    const limit = parseQuantity(limitText);
    if (limit.ok) {
      if (compareQuantity(current, limit.quantity) >= 0) {
        return fail(
          "limit",
          `PersistentVolumeClaim ${namespace}/${name} is ${formatQuantity(current)}, already at limits.maxVolumeSize ${limitText} of runbook ${ctx.runbook.id}`,
        );
      }
      if (compareQuantity(next, limit.quantity) > 0) {
        note = ` (capped from ${formatQuantity(next)} by limits.maxVolumeSize ${limitText})`;
        next = limit.quantity;
      }
    }
  }
  const size = formatQuantity(next);
  const patched = setPvcStorage(text, refOf(found.found), size, path);
  if (!patched.ok) return fail("refused", patched.reason);
  if (!patched.changed) return fail("nothing-to-do", `${path} already requests ${size}`);
  const summary = `storage request of PVC ${namespace}/${name}: ${requested.raw} → ${size}${note}`;
  ctx.files.write(path, patched.text, ctx.step.id, summary);
  evidence.push({ source: "repository", label: "expansion", detail: `${path}: ${summary}` });
  return done({
    target: `PersistentVolumeClaim ${namespace}/${name}`,
    evidence,
    undo: [
      `a volume cannot shrink: reverting the PR only restores the request in Git (Kubernetes keeps the ${size} volume); to give the space back, migrate the data to a new smaller claim`,
    ],
  });
}

function storageClassAllows(
  ctx: ActionContext,
  className: string | undefined,
): { allowed: boolean | undefined; source: string; detail: string } {
  if (!className) {
    return {
      allowed: undefined,
      source: "repository",
      detail: "no storage class named: the cluster default applies; expansion not verified",
    };
  }
  const sc = ctx.facts.storageClass;
  if (sc && sc.name === className && sc.allowVolumeExpansion !== undefined) {
    return {
      allowed: sc.allowVolumeExpansion,
      source: "cluster",
      detail: `StorageClass ${className}: allowVolumeExpansion ${sc.allowVolumeExpansion} (cluster)`,
    };
  }
  const declared = findOne(ctx.files, "StorageClass", "", className);
  if (declared.ok) {
    const v = declared.object["allowVolumeExpansion"];
    return {
      allowed: v === true,
      source: "repository",
      detail: `StorageClass ${className}: allowVolumeExpansion ${v === undefined ? "absent (false)" : String(v)} (${declared.found.path})`,
    };
  }
  if (sc && sc.name === className) {
    // The API omits the field when unset, which Kubernetes treats as false.
    return {
      allowed: false,
      source: "cluster",
      detail: `StorageClass ${className}: allowVolumeExpansion absent (false)`,
    };
  }
  return {
    allowed: undefined,
    source: "repository",
    detail: `StorageClass ${className} is unknown (not in the cluster facts or the repository); expansion not verified`,
  };
}
