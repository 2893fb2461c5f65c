import { createSign, generateKeyPairSync } from "node:crypto";

// Fake secrets are assembled at run time so no file in the repository holds a token-shaped literal
// (secret scanners would flag it, and the suite-wide log scan must only ever see what a test logs).
const alnum = (n: number, seed = 7): string => {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += chars[x % chars.length];
  }
  return s;
};
const hex = (n: number, seed = 3): string => {
  let s = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += (x % 16).toString(16);
  }
  return s;
};
const b64url = (s: string): string => Buffer.from(s).toString("base64url");

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

function signJwt(payload: object): string {
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey).toString("base64url");
  return `${head}.${body}.${sig}`;
}

/** Secrets shaped exactly like the real ones, each with a piece that must never appear in output. */
export const FAKE = {
  ghp: `ghp_${alnum(36, 1)}`,
  gho: `gho_${alnum(36, 2)}`,
  ghu: `ghu_${alnum(36, 3)}`,
  ghs: `ghs_${alnum(36, 4)}`,
  ghr: `ghr_${alnum(76, 5)}`,
  fineGrainedPat: `github_pat_${alnum(22, 6)}_${alnum(59, 8)}`,
  v1Installation: `v1.${hex(40, 9)}`,
  appJwt: signJwt({ iat: 1_700_000_000, exp: 1_700_000_600, iss: "123456" }),
  pemPkcs1: pkcs1,
  pemPkcs8: pkcs8,
  /** A key as most secret stores keep it in an environment variable: one line with `\n` escapes. */
  pemEscaped: pkcs1.replace(/\n/g, "\\n"),
  hubSignature256: `sha256=${hex(64, 11)}`,
  hubSignature1: `sha1=${hex(40, 12)}`,
  alertmanagerBearer: alnum(40, 13),
  webhookSecret: alnum(48, 14),
};

/**
 * Pieces of each secret that must not survive redaction (the body, not the harmless prefix).
 * `shapedOnly` leaves out the bearer token and webhook secret: random strings that only their
 * context (a field name, `Bearer `) marks as secret.
 */
export function secretPieces(opts: { shapedOnly?: boolean } = {}): string[] {
  const shaped = [
    FAKE.ghp.slice(4),
    FAKE.gho.slice(4),
    FAKE.ghu.slice(4),
    FAKE.ghs.slice(4),
    FAKE.ghr.slice(4),
    FAKE.fineGrainedPat.slice(11),
    FAKE.v1Installation.slice(3),
    FAKE.appJwt.split(".")[1]!,
    FAKE.appJwt.split(".")[2]!.slice(0, 40),
    // Lines from the middle of the PEM body.
    ...FAKE.pemPkcs1.split("\n").slice(2, 5),
    ...FAKE.pemPkcs8.split("\n").slice(2, 5),
    FAKE.hubSignature256.slice(7),
    FAKE.hubSignature1.slice(5),
  ];
  return opts.shapedOnly ? shaped : [...shaped, FAKE.alertmanagerBearer, FAKE.webhookSecret];
}
