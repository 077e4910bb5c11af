import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The package folder: the config works the same from any working directory. */
export const webRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  // `npm run dev`: the screens against a running gateway (npm start), same origin as in production.
  server: { proxy: { "/api": { target: "http://127.0.0.1:8080" } } },
});
