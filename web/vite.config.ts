// Builds the single-page app into dist/web, which the server serves with a strict CSP: the built
// index.html must hold no inline script or style, and nothing may load from another origin.
import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The web/ folder, whatever directory the build is started from.
const webRoot = decodeURIComponent(new URL(".", import.meta.url).pathname);
const apiServer = "http://127.0.0.1:8080";

/**
 * The service worker (web/service-worker/sw.js) as /sw.js: one classic script at the root (its
 * scope is the whole app), with the notification strings of both catalogues written in, since a
 * worker cannot load the app's i18n.
 */
function serviceWorker(): Plugin {
  const source = () => {
    const strings = Object.fromEntries(
      ["en", "fr"].map((language) => {
        const catalogue = JSON.parse(readFileSync(`${webRoot}src/i18n/${language}.json`, "utf8")) as { account: { push: Record<string, string> } };
        const push = catalogue.account.push;
        return [
          language,
          {
            title: push.notificationTitle,
            who: push.requestWho,
            reauthenticationTitle: push.reauthenticationTitle,
            reauthenticationWho: push.reauthenticationWho,
            stepUpTitle: push.stepUpTitle,
            stepUpWho: push.stepUpWho,
            open: push.notificationOpen,
            unknownBrowser: push.unknownBrowser,
            unknownSystem: push.unknownSystem,
          },
        ];
      }),
    );
    return readFileSync(`${webRoot}service-worker/sw.js`, "utf8").replace("const STRINGS = NOTIFICATION_STRINGS;", `const STRINGS = ${JSON.stringify(strings)};`);
  };
  return {
    name: "watchword-service-worker",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "sw.js", source: source() });
    },
    configureServer(server) {
      server.middlewares.use("/sw.js", (_request, response) => {
        response.setHeader("content-type", "text/javascript");
        response.end(source());
      });
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react(), serviceWorker()],
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
