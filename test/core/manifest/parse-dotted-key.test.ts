import { describe, expect, it } from "vitest";
import { parseDottedKey } from "../../../src/core/manifest/index.js";

describe("parseDottedKey", () => {
  it.each([
    ["image.tag", ["image", "tag"]],
    ["replicaCount", ["replicaCount"]],
    [
      "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/limit-rps",
      ["ingress", "annotations", "nginx.ingress.kubernetes.io/limit-rps"],
    ],
    ["ingress.hosts[0].host", ["ingress", "hosts", 0, "host"]],
    ["matrix[1][2]", ["matrix", 1, 2]],
  ])("%s ⇒ %j", (key, path) => {
    expect(parseDottedKey(key)).toEqual({ ok: true, path });
  });

  it.each(["", ".a", "a.", "a..b", "[0]", "a[x]", "a[0]b", "a[", "x".repeat(600)])("%j is refused", (key) => {
    expect(parseDottedKey(key).ok).toBe(false);
  });
});
