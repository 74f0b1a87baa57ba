import { createRequire } from 'node:module';
import type * as Undici from 'undici';

// undici's index also loads its fetch, WebSocket, cache and mock modules, and through their globals Node's
// own copy of undici: about 100 ms of CPU in every thread. The client uses three parts; they are loaded
// alone (undici is pinned to one version, whose layout test/lean-transport.test.ts exercises).
const requireHere = createRequire(import.meta.url);

/** undici's `Agent`: a keep-alive pool per origin. */
export const Agent = requireHere('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
/** undici's `Client`: one connection. */
export const Client = requireHere('undici/lib/dispatcher/client.js') as typeof Undici.Client;
const apiRequest = requireHere('undici/lib/api/api-request.js') as (
  this: Undici.Dispatcher,
  options: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>;
const { getGlobalDispatcher } = requireHere('undici/lib/global.js') as Pick<
  typeof Undici,
  'getGlobalDispatcher'
>;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  readonly method?: Undici.Dispatcher.HttpMethod;
  readonly dispatcher?: Undici.Dispatcher;
};

/** undici's `request(url, options)`, on `options.dispatcher` or the global one. */
export function request(
  url: string | URL,
  options: RequestOptions = {},
): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher = getGlobalDispatcher(), method = 'GET', ...rest } = options;
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
    method,
  });
}
