import type { FileAction } from "../runbook.js";
import type { FileActionFn } from "./action.js";
import { addJob } from "./add-job.js";
import { addWorker } from "./add-worker.js";
import { expandPvc } from "./expand-pvc.js";
import { rateLimitIngress } from "./rate-limit-ingress.js";
import { rollbackImage } from "./rollback-image.js";
import { scaleHpa } from "./scale-hpa.js";
import { setReplicasAction } from "./set-replicas.js";
import { suggestWafRule } from "./suggest-waf-rule.js";

/** Every built-in file action by the name runbooks use. */
export const FILE_ACTION_FUNCTIONS: Record<FileAction, FileActionFn> = {
  "rollback-image": rollbackImage,
  "set-replicas": setReplicasAction,
  "scale-hpa": scaleHpa,
  "expand-pvc": expandPvc,
  "add-job": addJob,
  "add-worker": addWorker,
  "rate-limit-ingress": rateLimitIngress,
  "suggest-waf-rule": suggestWafRule,
};
