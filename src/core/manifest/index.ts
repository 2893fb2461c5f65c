// The manifest patchers, readers and the workload locator: text in, text out, no I/O.
export { addTfJsonResource } from "./add-tf-json-resource.js";
export { appendDocument } from "./append-document.js";
export { findResources, type ScanProblem } from "./find-resources.js";
export { type LocateTarget, locateWorkload } from "./locate-workload.js";
export { parseDottedKey } from "./parse-dotted-key.js";
export {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
  scaleQuantity,
} from "./quantity.js";
export { readContainerImages } from "./read-container-images.js";
export { readHelmValue } from "./read-helm-value.js";
export { readHpaBounds } from "./read-hpa-bounds.js";
export { type KustomizationSummary, readKustomization } from "./read-kustomization.js";
export { readPvcStorage } from "./read-pvc-storage.js";
export { readReplicas } from "./read-replicas.js";
export { readResource } from "./read-resource.js";
export { readTfvarsNumber } from "./read-tfvars-number.js";
export {
  readArgoApplicationHelmValue,
  setArgoApplicationHelmValue,
} from "./set-argo-application-helm-value.js";
export { setContainerImage } from "./set-container-image.js";
export { setHclTfvarsNumber } from "./set-hcl-tfvars-number.js";
export { setHelmValue } from "./set-helm-value.js";
export { setHpaBounds } from "./set-hpa-bounds.js";
export { setIngressAnnotations } from "./set-ingress-annotations.js";
export { type KustomizeImage, setKustomizeImage } from "./set-kustomize-image.js";
export { setKustomizeReplicas } from "./set-kustomize-replicas.js";
export { setPvcStorage } from "./set-pvc-storage.js";
export { SCALABLE_KINDS, setReplicas } from "./set-replicas.js";
export { setTfvarsJsonNumber } from "./set-tfvars-json-number.js";
export type * from "./types.js";
