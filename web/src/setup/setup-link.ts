// Reads the setup token from the link's fragment (#token=…). The token travels in the fragment on
// purpose: browsers never send it to the server, so it stays out of access logs and proxies.

export function setupTokenFrom(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  return token === undefined || token === "" ? undefined : token;
}
