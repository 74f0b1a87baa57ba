import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoToolContext } from './demo-tools.js';
import { parseJson, readBody } from './http-replies.js';
import type { DemoProtocol } from './options.js';
import type { SessionRegistry } from './session-registry.js';
import { createStreamableHttpRoute } from './streamable-http-route.js';

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The MCP endpoints for `--protocol`: `/mcp` serves the eras chosen, and with `all` the 2025 stateless
 * posture has its own path, `/stateless` (a 2025 client cannot be both given a session and not).
 */
export async function createEraRoutes(
  context: DemoToolContext,
  registry: SessionRegistry,
  protocol: DemoProtocol,
): Promise<{ readonly mcp: Route; readonly stateless: Route | null }> {
  const { stats } = context;
  const stateful = createStreamableHttpRoute(context, registry);
  // The 2.x SDK's server (641 KB of code) loads only for the eras it serves: not for 2025-11-25 alone.
  const v2 = protocol === '2025-11-25' ? null : await import('./v2-route.js');
  const modern =
    v2 && (protocol === 'all' || protocol === '2026-07-28') ? v2.createModernRoute(context) : null;
  const statelessRoute =
    v2 && (protocol === 'all' || protocol === 'stateless') ? v2.createStatelessRoute(context) : null;
  const stateless: Route | null = statelessRoute
    ? async (req, res) => {
        const body = await readBody(req);
        stats.request('stateless');
        await statelessRoute(req, res, body);
      }
    : null;
  const mcp: Route = async (req, res) => {
    if (protocol === '2025-11-25') {
      stats.request('2025-11-25');
      return stateful(req, res);
    }
    if (protocol === 'stateless') return stateless!(req, res);
    const body = await readBody(req);
    if (protocol === 'all' && (await v2!.isLegacy(req, body))) {
      stats.request('2025-11-25');
      return stateful(req, res, { body: parseJson(body) });
    }
    stats.request('2026-07-28');
    await modern!(req, res, body);
  };
  return { mcp, stateless: protocol === 'all' ? stateless : null };
}
