import * as jmespathModule from "jmespath";
import { describe, expect, it } from "vitest";
import { evaluateJmespath, type JmesNode } from "../../../src/core/policy/evaluate-jmespath.js";

const jmespath = jmespathModule as unknown as {
  search(d: unknown, e: string): unknown;
  compile(e: string): unknown;
};
const run = (expr: string, data: unknown) => evaluateJmespath(jmespath.compile(expr) as JmesNode, data);

const data = {
  request: {
    object: {
      metadata: { name: "Web-App", labels: { team: "a", tier: "web" } },
      spec: {
        containers: [
          { name: "app", image: "nginx:1.2", ports: [{ containerPort: 80 }, { containerPort: 443 }] },
          { name: "side", image: "envoy", securityContext: { privileged: true } },
        ],
      },
    },
  },
};

describe("evaluateJmespath agrees with the jmespath package on standard expressions", () => {
  it.each([
    "request.object.metadata.name",
    "request.object.spec.containers[0].image",
    "request.object.spec.containers[-1].name",
    "request.object.spec.containers[*].name",
    "request.object.spec.containers[].ports[].containerPort",
    "request.object.spec.containers[?securityContext.privileged].name",
    "request.object.spec.containers[?name=='app'].image | [0]",
    "request.object.spec.containers[0:1].name",
    "request.object.spec.containers[::-1].name",
    "request.object.metadata.labels.*",
    "request.object.spec.containers[].securityContext.privileged || `false`",
    "request.object.missing && 'x'",
    "!request.object.missing",
    "{n: request.object.metadata.name, c: length(request.object.spec.containers)}",
    "[request.object.metadata.name, `1`]",
    "length(request.object.spec.containers[?contains(image, ':')])",
    "max_by(request.object.spec.containers[0].ports, &containerPort).containerPort",
    "sort_by(request.object.spec.containers, &name)[].name",
    "map(&name, request.object.spec.containers)",
    "sum(request.object.spec.containers[0].ports[].containerPort)",
    "keys(request.object.metadata.labels)",
    "join(',', request.object.spec.containers[].name)",
    "starts_with(request.object.metadata.name, 'Web')",
    "not_null(request.object.nope, request.object.metadata.name)",
    "to_string(request.object.spec.containers[0].ports[0])",
    "type(request.object.spec)",
    "request.object.spec.containers[0].ports[?containerPort > `100`].containerPort",
  ])("%s", (expr) => {
    expect(run(expr, data)).toEqual(jmespath.search(data, expr));
  });
});

describe("Kyverno's JMESPath extensions", () => {
  it.each([
    ["to_upper(request.object.metadata.name)", "WEB-APP"],
    ["to_lower(request.object.metadata.name)", "web-app"],
    ["split(request.object.spec.containers[0].image, ':')", ["nginx", "1.2"]],
    ["truncate(request.object.metadata.name, `3`)", "Web"],
    ["regex_match('^nginx:[0-9.]+$', request.object.spec.containers[0].image)", true],
    ["regex_match('^nginx:[0-9.]+$', request.object.spec.containers[1].image)", false],
    ["regex_replace_all('([a-z]+):(.*)', request.object.spec.containers[0].image, '$2-$1')", "1.2-nginx"],
    ["replace_all(request.object.metadata.name, '-', '_')", "Web_App"],
    ["replace('a-b-c', '-', '+', `1`)", "a+b-c"],
    ["trim('--x--', '-')", "x"],
    ["equal_fold(request.object.metadata.name, 'web-app')", true],
    ["compare('a', 'b')", -1],
    ['label_match(`{"team":"a"}`, request.object.metadata.labels)', true],
    ['label_match(`{"team":"b"}`, request.object.metadata.labels)', false],
    ["pattern_match('ngin?:*', request.object.spec.containers[0].image)", true],
    ["base64_decode('aGVsbG8=')", "hello"],
    ["base64_encode('hello')", "aGVsbG8="],
    ["parse_json('{\"a\": [1]}').a[0]", 1],
    ["parse_yaml('a: 2').a", 2],
    ["add(`1`, `2`)", 3],
    ["subtract(`5`, `2`)", 3],
    ["multiply(`2`, `4`)", 8],
    ["divide(`9`, `3`)", 3],
    ["modulo(`9`, `4`)", 1],
    ["round(`2.456`, `1`)", 2.5],
    [
      "items(request.object.metadata.labels, 'k', 'v')",
      [
        { k: "team", v: "a" },
        { k: "tier", v: "web" },
      ],
    ],
    ["object_from_lists(['a','b'], [`1`,`2`])", { a: 1, b: 2 }],
    ["path_canonicalize('/var/../etc/./x')", "/etc/x"],
  ])("%s ⇒ %j", (expr, expected) => {
    expect(run(expr, data)).toEqual(expected);
  });

  it("throws on wrong argument types (the rule then reports an error)", () => {
    expect(() => run("to_upper(`1`)", data)).toThrow("to_upper() expects a string");
    expect(() => run("divide(`1`, `0`)", data)).toThrow("divide() by zero");
  });
});
