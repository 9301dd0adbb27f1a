import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where `retouch serve` listens in development. */
const api = process.env.RETOUCH_DEV_API ?? "http://localhost:8787";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: true,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": { target: api, changeOrigin: false },
      "/config.js": { target: api, changeOrigin: false },
    },
  },
});
