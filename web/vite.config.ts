// Builds the single-page app into dist/web, which the server serves with a strict CSP: the built
// index.html must hold no inline script or style, and nothing may load from another origin.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web/ folder, whatever directory the build is started from.
const webRoot = decodeURIComponent(new URL(".", import.meta.url).pathname);
const apiServer = "http://127.0.0.1:8080";

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // The polyfill is an inline <script>, which `script-src 'self'` blocks.
    modulePreload: { polyfill: false },
    // Small assets stay files too: CSP allows data: for images only.
    assetsInlineLimit: 0,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": apiServer,
      "/healthz": apiServer,
      "/readyz": apiServer,
    },
  },
});
