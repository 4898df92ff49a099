// Entries: list, read, create, edit, delete, overwrite the seed (in sudo mode).
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { CreateEntryRequest, EntryIdParams, EntryList, EntryListQuery, EntryReply, EntrySeedInput, EntryTagList, EntryTagQuery, UpdateEntryRequest } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { EntryService } from "../../services/entries.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { SUDO_NOTE, actorOf, callerOf, requireCaller, requireSession, requireSudo } from "../authentication.js";
import { entryDetailOf, entrySummaryOf } from "./entry-shapes.js";
import { noticeOf } from "./reply-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function registerEntryRoutes(app: FastifyInstance, deps: { entries: EntryService; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { entries } = deps;
  const tags = ["entries"];

  typed.get(
    "/api/v1/entries",
    { preHandler: requireCaller, schema: { tags, summary: "Entries the caller may use", description: "By name, a page at a time (limit, default 100, at most 1000): follow nextCursor until it is null.", querystring: EntryListQuery, response: { 200: EntryList, 401: Problem, 403: Problem } } },
    async (request) => {
      const page = await entries.list(callerOf(request), request.query);
      return { entries: page.entries.map(entrySummaryOf), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/api/v1/entry-tags",
    {
      preHandler: requireCaller,
      schema: {
        tags,
        summary: "The tags of the entries the caller may use",
        description: "Every tag of the entries GET /api/v1/entries lists with the same view (all of its pages), with how many of them carry it: what a tag filter offers. One query.",
        querystring: EntryTagQuery,
        response: { 200: EntryTagList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const listed = await entries.listTags(callerOf(request), request.query);
      return { tags: listed.tags.map(({ tag, entries: count }) => ({ tag, entries: count })), isComplete: listed.isComplete };
    },
  );

  typed.post(
    "/api/v1/entries",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Add an entry", description: "The seed is write-only: no reply ever contains it.", body: CreateEntryRequest, response: { 201: EntryReply, ...errors } },
    },
    async (request, reply) => {
      const { view, warnings } = await entries.create(actorOf(request), request.body);
      return reply.code(201).send({ entry: entryDetailOf(view), warnings: warnings.map(noticeOf) });
    },
  );

  typed.get(
    "/api/v1/entries/:id",
    { preHandler: requireSession, schema: { tags, summary: "One entry (never its seed)", params: EntryIdParams, response: { 200: EntryReply.properties.entry, ...errors } } },
    async (request) => entryDetailOf(await entries.get(actorOf(request), request.params.id)),
  );

  typed.patch(
    "/api/v1/entries/:id",
    { preHandler: requireSession, schema: { tags, summary: "Edit an entry's attributes", params: EntryIdParams, body: UpdateEntryRequest, response: { 200: EntryReply, ...errors } } },
    async (request) => {
      const { view, warnings } = await entries.update(actorOf(request), request.params.id, request.body);
      return { entry: entryDetailOf(view), warnings: warnings.map(noticeOf) };
    },
  );

  typed.delete(
    "/api/v1/entries/:id",
    { preHandler: requireSession, schema: { tags, summary: "Delete an entry and destroy its secrets", params: EntryIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await entries.remove(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  typed.put(
    "/api/v1/entries/:id/seed",
    {
      preHandler: requireSudo(deps.reauthentication),
      schema: {
        tags,
        summary: "Overwrite the seed",
        description: "For when the target service issued a new seed. The old one is destroyed. " + SUDO_NOTE,
        params: EntryIdParams,
        body: EntrySeedInput,
        response: { 200: EntryReply, ...errors },
      },
    },
    async (request) => {
      const { view, warnings } = await entries.overwriteSeed(actorOf(request), request.params.id, request.body);
      return { entry: entryDetailOf(view), warnings: warnings.map(noticeOf) };
    },
  );
}
