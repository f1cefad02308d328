// The webhook writes (SPEC §11, scope `webhooks`): register an endpoint, delete one. The reads
// (list, one endpoint, its delivery log) are in the read-route table (readRoutes.ts).
import type { FastifyInstance } from "fastify";
import type { Ledger } from "../ledger.ts";
import { deleteWebhook, registerWebhook } from "../webhooks/registration.ts";
import { parse, webhook } from "./readRoutes.ts";

export function registerWebhookRoutes(app: FastifyInstance, ledger: Ledger): void {
  app.post("/v1/webhooks", async (request, reply) => reply.code(201).send(await registerWebhook(ledger, request.body)));
  app.delete("/v1/webhooks/:webhookId", async (request) => deleteWebhook(ledger, parse(webhook, request.params, "path").webhookId));
}
