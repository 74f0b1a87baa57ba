import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMcpHandler,
  isLegacyRequest,
  legacyStatelessFallback,
  McpServer,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { registerDemoTools, type DemoEra, type DemoToolContext } from './demo-tools.js';

const SERVER_INFO = { name: 'mcp-load-explorer-demo', version: '0.1.0' };

/** A 2.x SDK server per request, with the demo's tools; its calls count under `era`. */
function factoryFor(context: DemoToolContext, era: DemoEra): McpServerFactory {
  return () => {
    const server = new McpServer(SERVER_INFO, {
      instructions: `Demo server of mcp-load-explorer (${era}); the \`work\` tool's bottleneck is ${context.options.bottleneck}.`,
    });
    registerDemoTools(
      (name, { description, inputSchema, outputSchema }, run) => {
        // The 2.x SDK takes Standard Schemas: the demo's zod shapes, as objects.
        const config = {
          description,
          inputSchema: z.object(inputSchema),
          ...(outputSchema ? { outputSchema: z.object(outputSchema) } : {}),
        };
        server.registerTool(name, config, (args: Record<string, unknown>, ctx) =>
          run(args, { signal: ctx.mcpReq.signal, sessionId: ctx.sessionId }),
        );
      },
      context,
      era,
    );
    return server;
  };
}

/** A web-standard `Request` from node:http's request and the body already read. */
function webRequest(req: IncomingMessage, body: Buffer | undefined, signal?: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : undefined,
    signal,
  });
}

/** Writes a web-standard `Response` to node:http, streaming its body; stops when the client goes. */
async function send(answer: Response, res: ServerResponse): Promise<void> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  if (!answer.body) return void res.end();
  const reader = answer.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // The client went away.
  }
  res.end();
}

/** Serves one node:http request with a fetch-shaped handler of the 2.x SDK. */
export type V2Route = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => Promise<void>;

/** A fetch-shaped handler (the 2.x SDK's) served on node:http: the request aborted when the client goes. */
export function fetchRoute(handle: (request: Request) => Promise<Response>): V2Route {
  return async (req, res, body) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const request = webRequest(req, body, controller.signal);
    // Node 20's Request follows the given signal through a weak reference to a controller of its own:
    // once that is garbage collected, `request.signal` never aborts, and the 2.x SDK kept a listen
    // subscription (and a tool's signal) alive after its client had gone, until its limit of 1,024
    // refused every client. The handler reads our signal itself.
    Object.defineProperty(request, 'signal', { value: controller.signal });
    await send(await handle(request), res);
  };
}

/** 2026-07-28 only (`legacy: 'reject'`): a 2025-era request gets the unsupported-version answer. */
export function createModernRoute(context: DemoToolContext): V2Route {
  const handler = createMcpHandler(factoryFor(context, '2026-07-28'), { legacy: 'reject' });
  return fetchRoute((request) => handler.fetch(request));
}

/** The 2025-era stateless posture: no session id, GET and DELETE answered 405. */
export function createStatelessRoute(context: DemoToolContext): V2Route {
  const handler = legacyStatelessFallback(factoryFor(context, 'stateless'));
  return fetchRoute((request) => handler(request));
}

/** Whether the 2.x SDK routes this request to 2025-era serving (no per-request `_meta` claim). */
export async function isLegacy(req: IncomingMessage, body: Buffer | undefined): Promise<boolean> {
  let parsed: unknown;
  try {
    parsed = body && body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
  } catch {
    return true;
  }
  return isLegacyRequest(webRequest(req, undefined), parsed);
}
