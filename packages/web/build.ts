import { fileURLToPath } from "node:url";
import { build } from "vite";
import config from "./vite.config.js";

/** Where the built screens land: the gateway serves this folder as static files. */
export const webDist = fileURLToPath(new URL("./dist", import.meta.url));

/**
 * Builds the screens with Vite (programmatically, no config file lookup) and returns the output folder:
 * `webDist` unless told otherwise (tests build elsewhere, so they never race the launcher's build).
 */
export async function buildWeb(outDir: string = webDist): Promise<string> {
  // Vite picks a development build (React's dev runtime, jsxDEV) whenever NODE_ENV is not
  // "production", e.g. "test" under Vitest; the screens are always shipped as a production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      ...config,
      mode: "production",
      configFile: false,
      logLevel: "warn",
      build: { ...config.build, outDir },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}
