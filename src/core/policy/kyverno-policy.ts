import type { ConditionBlock } from "./evaluate-conditions.js";

/** `Enforce` blocks (a failing check), `Audit` reports (a neutral check). */
export type FailureAction = "Enforce" | "Audit";

/** Kubernetes label selector (`matchLabels`, `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kyverno `ResourceDescription`: every given field must hold. */
export interface ResourceDescription {
  kinds?: string[];
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

/** One entry of `match.any` / `match.all` (or the legacy `match.resources`). */
export interface ResourceFilter {
  resources?: ResourceDescription;
  /** Admission user info (`subjects`, `roles`, `clusterRoles`): not known for manifests in Git. */
  userInfo: boolean;
}

/** `match` or `exclude`, normalised: the legacy form becomes `all: [filter]`. */
export interface MatchBlock {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
}

/** One `validate.foreach` entry: a check applied to every element of a JMESPath list. */
export interface ForeachBlock {
  /** JMESPath over the request, e.g. `request.object.spec.containers`. */
  list: string;
  /** Patterns apply to the element (default) or, when false, to the whole resource. */
  elementScope?: boolean;
  preconditions?: ConditionBlock;
  pattern?: unknown;
  anyPattern?: unknown[];
  deny?: ConditionBlock;
}

/** The `validate` part of a rule. */
export interface ValidateBlock {
  message?: string;
  failureAction?: FailureAction;
  pattern?: unknown;
  anyPattern?: unknown[];
  deny?: ConditionBlock;
  foreach?: ForeachBlock[];
}

/** One rule as written in the policy. */
export interface PolicyRule {
  name: string;
  /** Index in `spec.rules`, for messages naming the field. */
  index: number;
  match: MatchBlock;
  exclude?: MatchBlock;
  preconditions?: ConditionBlock;
  validate?: ValidateBlock;
  /** Set when the rule needs something this engine does not do; matching resources get `skip`. */
  unsupported?: string;
}

/** A parsed Kyverno `ClusterPolicy` or `Policy`. */
export interface KyvernoPolicy {
  kind: "ClusterPolicy" | "Policy";
  name: string;
  /** For a namespaced `Policy`: the namespace it applies to. */
  namespace?: string;
  file: string;
  documentIndex: number;
  /** `spec.validationFailureAction` (default Audit). */
  action: FailureAction;
  /** `spec.validationFailureActionOverrides`: a different action in some namespaces. */
  overrides: { action: FailureAction; namespaces: string[] }[];
  /** `policies.kyverno.io/severity`. */
  severity?: string;
  /** `policies.kyverno.io/category`. */
  category?: string;
  /** `policies.kyverno.io/title`. */
  title?: string;
  /** `policies.kyverno.io/description`. */
  description?: string;
  /** `policies.kyverno.io/scored: "false"` turns failures into warnings. */
  scored: boolean;
  /** `pod-policies.kyverno.io/autogen-controllers`; undefined means Kyverno's default list. */
  autogenControllers?: string[];
  rules: PolicyRule[];
}
