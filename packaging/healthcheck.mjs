// The container's HEALTHCHECK: GET /healthz on this container's own listener (HTTPS when the
// server serves it; the certificate is not checked, the probe never leaves the container).
import http from "node:http";
import https from "node:https";

const isTls = (process.env.WATCHWORD_TLS_CERT ?? "") !== "";
const port = Number(process.env.WATCHWORD_PORT ?? "8080");
const request = (isTls ? https : http).get(
  { host: "127.0.0.1", port, path: "/healthz", timeout: 4000, rejectUnauthorized: false },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
request.on("timeout", () => request.destroy(new Error("timeout")));
request.on("error", () => process.exit(1));
