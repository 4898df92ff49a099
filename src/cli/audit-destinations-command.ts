// `watchword audit destinations`: each SIEM destination and its delivery state, over the HTTP API
// (administrators). Names hosts and ports only, as the API does.
import type { Command } from "commander";
import type { AuditDestination } from "../contract/audit-destinations.js";
import type { ClientIo } from "./client-io.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

const when = (iso: string | null): string => (iso === null ? "never" : iso.replace(/\.\d{3}Z$/, "Z"));

function destinationRows(destinations: readonly AuditDestination[]): string[] {
  return formatTable(
    [{ header: "Name", maxWidth: 24 }, { header: "Target", maxWidth: 48 }, { header: "Delivered" }, { header: "Backlog" }, { header: "Lag" }, { header: "Last success" }, { header: "Last error", maxWidth: 60 }],
    destinations.map((d) => [
      printable(d.name),
      printable(d.target),
      `${d.deliveredSeq}/${d.headSeq}`,
      String(d.backlog),
      `${Math.round(d.lagSeconds)}s`,
      when(d.lastSuccessAt),
      d.lastError === null ? "-" : printable(d.lastError),
    ]),
  );
}

export function registerAuditDestinationsCommand(audit: Command, io: ClientIo): void {
  addClientOptions(audit.command("destinations").description("each SIEM destination: the last event its receiver has, what waits, the last error (administrators)"))
    .action(async (_flags: ConnectionFlags & JsonFlag, command: Command) => {
      // `audit` lists the log with options of its own (--json, --url, --token), and commander gives
      // them to it when they are written after `destinations` too: read both.
      const flags = command.optsWithGlobals<ConnectionFlags & JsonFlag>();
      const isJson = flags.json === true;
      const { client } = await connect(flags, io.env);
      const { destinations } = await client.auditDestinations();
      if (isJson) io.stdout(toJson({ destinations }));
      else if (destinations.length === 0) io.stdout("No SIEM destination is configured (WATCHWORD_SIEM_<NAME>_URL, see the README).");
      else for (const line of destinationRows(destinations)) io.stdout(line);
    });
}
