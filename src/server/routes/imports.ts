// Bulk import: upload (a preview comes back, without secrets), then confirm or discard.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ConfirmImportReply, ConfirmImportRequest, CreateImportRequest, ImportIdParams, ImportPreview } from "../../contract/imports.js";
import { Problem } from "../../contract/problem.js";
import type { ImportService } from "../../services/imports.js";
import { actorOf, requireSession } from "../authentication.js";
import { noticeOf } from "./reply-shapes.js";

/** Base64 of the largest accepted file (20 MiB) and the JSON around it. */
const IMPORT_BODY_LIMIT = 28 * 1024 * 1024;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem, 429: Problem, 503: Problem };

export function registerImportRoutes(app: FastifyInstance, deps: { imports: ImportService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { imports } = deps;
  const tags = ["imports"];

  typed.post(
    "/api/v1/imports",
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Upload an export file or a QR image and get a preview",
        description:
          "Formats: Aegis (plain or encrypted), 2FAS, Bitwarden JSON/CSV, andOTP, Google Authenticator export links, QR images or database, KeePass .kdbx (with a password, a key file or both), FreeOTP, FreeOTP+, Authy, Microsoft Authenticator, Duo, Proton Authenticator, Battle.net, Steam Guard, Stratum, TOTP Authenticator, Authenticator Plus, lists of otpauth:// links, and QR images (PNG, JPEG, WebP, GIF). Nothing is created until the import is confirmed; the preview never contains a seed. Files are read a few at a time per server: when too many are waiting the answer is 503 with Retry-After; repeated wrong passwords for encrypted files are slowed down per user (429 with Retry-After).",
        body: CreateImportRequest,
        response: { 200: ImportPreview, ...errors },
      },
    },
    async (request) => {
      const preview = await imports.preview(actorOf(request), request.body);
      return {
        importId: preview.id,
        format: preview.format,
        expiresAt: new Date(preview.expiresAt).toISOString(),
        entries: preview.entries.map((e) => ({
          index: e.index,
          name: e.name,
          issuer: e.issuer ?? null,
          account: e.account ?? null,
          folder: e.folder ?? null,
          type: e.type,
          algorithm: e.algorithm,
          digits: e.digits,
          period: e.period,
          duplicateOf: e.duplicateOf,
          warnings: e.warnings.map(noticeOf),
        })),
        problems: preview.problems.map((p) => ({ ...p })),
      };
    },
  );

  typed.post(
    "/api/v1/imports/:id/confirm",
    { preHandler: requireSession, schema: { tags, summary: "Create the previewed entries, all in one transaction", params: ImportIdParams, body: ConfirmImportRequest, response: { 200: ConfirmImportReply, ...errors } } },
    async (request) => ({ created: await imports.confirm(actorOf(request), request.params.id, request.body) }),
  );

  typed.delete(
    "/api/v1/imports/:id",
    { preHandler: requireSession, schema: { tags, summary: "Discard a preview", params: ImportIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await imports.discard(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
