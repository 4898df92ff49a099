// The alerts of an entry or a folder: list, subscribe (oneself, or a watcher for managers) and unsubscribe.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AlertList, AlertParams, CreateAlertRequest, CreatedAlert, type AlertSubscription } from "../../contract/alerts.js";
import { EntryIdParams } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { AlertService, AlertSubscriptionView } from "../../services/alerts.js";
import { actorOf, requireSession } from "../authentication.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };

function alertOf(view: AlertSubscriptionView): AlertSubscription {
  const { record } = view;
  return {
    id: record.id,
    user: view.user,
    scope: record.scope,
    events: [...record.events],
    channel: record.channel,
    target: record.targetShown,
    isMine: view.isMine,
    createdAt: new Date(record.createdAt).toISOString(),
    delivery: { ...view.delivery },
  };
}

export function registerAlertRoutes(app: FastifyInstance, deps: { alerts: AlertService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { alerts } = deps;
  const tags = ["alerts"];

  for (const kind of ["entry", "folder"] as const) {
    const base = kind === "entry" ? "/api/v1/entries/:id/alerts" : "/api/v1/folders/:id/alerts";
    const what = kind === "entry" ? "an entry" : "a folder's entries (and access requests for the folder)";
    const viewer = kind === "entry" ? "anyone who may see the entry" : "anyone who may use the folder";

    typed.get(
      base,
      { preHandler: requireSession, schema: { tags, summary: `The alerts of ${what}: the caller's own, or everyone's for its managers`, params: EntryIdParams, response: { 200: AlertList, ...errors } } },
      async (request) => {
        const list = await alerts.list(actorOf(request), { kind, id: request.params.id });
        return { subscriptions: list.subscriptions.map(alertOf), canManageWatchers: list.canManageWatchers };
      },
    );

    typed.post(
      base,
      {
        preHandler: requireSession,
        schema: {
          tags,
          summary: `Be alerted (or alert a watcher) of what happens to ${what}`,
          description: `For ${viewer}; alerting someone else needs manage on it. Targets must be public http(s) addresses (https for Slack and Teams) unless the operator allows private ones. Audited as alert.subscribed.`,
          params: EntryIdParams,
          body: CreateAlertRequest,
          response: { 201: CreatedAlert, ...errors },
        },
      },
      async (request, reply) => {
        const created = await alerts.subscribe(actorOf(request), { kind, id: request.params.id }, request.body);
        return reply.code(201).send({ subscription: alertOf(created.view), signingSecret: created.signingSecret });
      },
    );

    typed.delete(
      `${base}/:alertId`,
      { preHandler: requireSession, schema: { tags, summary: "Stop an alert (one's own, or anyone's for the managers)", description: "Audited as alert.unsubscribed.", params: AlertParams, response: { 204: Type.Null(), ...errors } } },
      async (request, reply) => {
        await alerts.unsubscribe(actorOf(request), { kind, id: request.params.id }, request.params.alertId);
        return reply.code(204).send(null);
      },
    );
  }
}
