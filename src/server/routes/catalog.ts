// Folders and templates.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  CreateFolderRequest,
  CreateTemplateRequest,
  Folder,
  FolderIdParams,
  RenameFolderRequest,
  Template,
  TemplateIdParams,
  UpdateTemplateRequest,
} from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { CatalogService } from "../../services/catalog.js";
import { actorOf, requireSession } from "../authentication.js";
import { folderOf, templateOf } from "./entry-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };
const errorsOnOne = { ...errors, 404: Problem };

export function registerCatalogRoutes(app: FastifyInstance, deps: { catalog: CatalogService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { catalog } = deps;

  typed.get("/api/v1/folders", { preHandler: requireSession, schema: { tags: ["folders"], summary: "Folders", response: { 200: Type.Object({ folders: Type.Array(Folder) }), 401: Problem } } }, async (request) => ({
    folders: (await catalog.listFolders(actorOf(request))).map(folderOf),
  }));

  typed.post(
    "/api/v1/folders",
    { preHandler: requireSession, schema: { tags: ["folders"], summary: "Create a folder (administrators)", body: CreateFolderRequest, response: { 201: Folder, ...errors } } },
    async (request, reply) => reply.code(201).send(folderOf(await catalog.createFolder(actorOf(request), request.body.name))),
  );

  typed.patch(
    "/api/v1/folders/:id",
    { preHandler: requireSession, schema: { tags: ["folders"], summary: "Rename a folder (administrators)", params: FolderIdParams, body: RenameFolderRequest, response: { 200: Folder, ...errorsOnOne } } },
    async (request) => folderOf(await catalog.renameFolder(actorOf(request), request.params.id, request.body.name)),
  );

  typed.delete(
    "/api/v1/folders/:id",
    {
      preHandler: requireSession,
      schema: { tags: ["folders"], summary: "Delete an empty folder (administrators)", description: "Refused with 409 while any entry is in the folder.", params: FolderIdParams, response: { 204: Type.Null(), ...errorsOnOne } },
    },
    async (request, reply) => {
      await catalog.deleteFolder(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  typed.get("/api/v1/templates", { preHandler: requireSession, schema: { tags: ["templates"], summary: "Entry templates", response: { 200: Type.Object({ templates: Type.Array(Template) }), 401: Problem } } }, async (request) => ({
    templates: (await catalog.listTemplates(actorOf(request))).map(templateOf),
  }));

  typed.post(
    "/api/v1/templates",
    { preHandler: requireSession, schema: { tags: ["templates"], summary: "Define a template (administrators)", body: CreateTemplateRequest, response: { 201: Template, ...errors } } },
    async (request, reply) => reply.code(201).send(templateOf(await catalog.createTemplate(actorOf(request), request.body))),
  );

  typed.put(
    "/api/v1/templates/:id",
    {
      preHandler: requireSession,
      schema: {
        tags: ["templates"],
        summary: "Edit a template (administrators)",
        description: "Built-in templates cannot be edited. While entries use the template, each of its fields must stay, with its key and type (409 otherwise).",
        params: TemplateIdParams,
        body: UpdateTemplateRequest,
        response: { 200: Template, ...errorsOnOne },
      },
    },
    async (request) => templateOf(await catalog.updateTemplate(actorOf(request), request.params.id, request.body)),
  );

  typed.delete(
    "/api/v1/templates/:id",
    {
      preHandler: requireSession,
      schema: {
        tags: ["templates"],
        summary: "Delete a template (administrators)",
        description: "Built-in templates cannot be deleted; one that entries use is refused with 409 and their count.",
        params: TemplateIdParams,
        response: { 204: Type.Null(), ...errorsOnOne },
      },
    },
    async (request, reply) => {
      await catalog.deleteTemplate(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
