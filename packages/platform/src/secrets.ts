import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

/** Passwords of the component roles and shared secrets, made once per installation. */
export async function loadSecrets(file: string, names: string[]): Promise<Record<string, string>> {
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(await readFile(file, "utf8")) : {};
  let changed = false;
  for (const n of names) {
    if (!secrets[n]) {
      secrets[n] = randomBytes(18).toString("base64url");
      changed = true;
    }
  }
  if (changed) await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
