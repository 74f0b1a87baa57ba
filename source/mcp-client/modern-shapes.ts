import type { ProbeOutcome } from './lean-probe.js';
import { ModernSdkError, SDK_CODES } from './modern-errors.js';
import { callToolResultProblem, isObject, listToolsResultProblem } from './result-shapes.js';

/**
 * The results a lean 2026-07-28 client reads, decoded as the v2 SDK's 2026 codec decodes them
 * (`decodeResult`: `resultType` first, then the method's wire schema), by hand. A discover result is taken
 * here only where the SDK surely takes it; anything less clear goes to the SDK (open-session.ts).
 */

type Shape = Record<string, unknown>;

export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';

/** A result decoded: complete (`resultType` lifted off), or a Multi Round-Trip Request's ask. */
export type Decoded =
  | { readonly kind: 'complete'; readonly result: Shape }
  | { readonly kind: 'input'; readonly inputRequests: Shape; readonly requestState?: string };

const invalid = (method: string, what: string): ModernSdkError =>
  new ModernSdkError(SDK_CODES.InvalidResult, `Invalid result for ${method}: ${what}`, { method });

/** Decodes one answer's result; throws the SDK's error for what its codec refuses. */
export function decodeModern(
  method: string,
  raw: unknown,
  problem: (result: unknown) => string | null,
): Decoded {
  if (!isObject(raw)) throw invalid(method, 'not an object');
  const type = raw.resultType;
  if (type === undefined) {
    throw invalid(
      method,
      'missing required resultType — servers implementing protocol revision 2026-07-28 MUST include it (the absent-means-complete bridge applies only to earlier-revision servers)',
    );
  }
  if (typeof type !== 'string') throw invalid(method, 'non-string resultType');
  if (type === 'input_required') {
    const asked = isObject(raw.inputRequests) ? raw.inputRequests : {};
    const state = typeof raw.requestState === 'string' ? raw.requestState : undefined;
    if (Object.keys(asked).length === 0 && state === undefined) {
      throw invalid(
        method,
        'input_required carries neither inputRequests nor requestState (every input_required result must include at least one of the two)',
      );
    }
    return state === undefined
      ? { kind: 'input', inputRequests: asked }
      : { kind: 'input', inputRequests: asked, requestState: state };
  }
  if (type !== 'complete') {
    throw new ModernSdkError(
      SDK_CODES.UnsupportedResultType,
      `Unsupported result type '${type}' for ${method}`,
      {
        resultType: type,
        method,
      },
    );
  }
  if (raw._meta !== undefined && !isObject(raw._meta)) throw invalid(method, '_meta is not an object');
  const wrong = problem(raw);
  if (wrong !== null) throw invalid(method, wrong);
  const result = { ...raw };
  delete result.resultType;
  return { kind: 'complete', result };
}

/** tools/call on 2026-07-28: `content` is required (the 2025 era defaulted it to an empty list). */
export function modernCallToolProblem(result: unknown): string | null {
  if (isObject(result) && !Array.isArray(result.content)) return 'content is not an array';
  return callToolResultProblem(result);
}

/** tools/list on 2026-07-28: a cacheable result (`ttlMs`, `cacheScope`) listing tools. */
export function modernListToolsProblem(result: unknown): string | null {
  if (!isObject(result)) return 'not an object';
  const ttl = result.ttlMs;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) return 'ttlMs is not a whole number ≥ 0';
  if (result.cacheScope !== 'public' && result.cacheScope !== 'private')
    return 'cacheScope is neither public nor private';
  return listToolsResultProblem(result);
}

const CAPABILITY_FLAGS: Readonly<Record<string, readonly string[]>> = {
  tools: ['listChanged'],
  prompts: ['listChanged'],
  resources: ['subscribe', 'listChanged'],
  logging: [],
  completions: [],
};

/** Capabilities the SDK's schema surely takes: known ones, each an object of known boolean flags. */
function plainCapabilities(capabilities: unknown): boolean {
  if (!isObject(capabilities)) return false;
  return Object.entries(capabilities).every(([name, value]) => {
    const flags = Object.hasOwn(CAPABILITY_FLAGS, name) ? CAPABILITY_FLAGS[name] : undefined;
    if (!flags || !isObject(value)) return false;
    return Object.entries(value).every(([flag, on]) => flags.includes(flag) && typeof on === 'boolean');
  });
}

/** A server's name and version as the discover result's `_meta` gives them, when plainly given. */
function plainServerInfo(meta: unknown): { name: string; version: string } | undefined | false {
  if (meta === undefined) return undefined;
  if (!isObject(meta)) return false;
  if (
    Object.keys(meta).some(
      (key) => key.startsWith('io.modelcontextprotocol/') && key !== SERVER_INFO_META_KEY,
    )
  )
    return false;
  const info = meta[SERVER_INFO_META_KEY];
  if (info === undefined) return undefined;
  if (!isObject(info) || typeof info.name !== 'string' || typeof info.version !== 'string') return false;
  if (Object.keys(info).some((key) => key !== 'name' && key !== 'version' && key !== 'title')) return false;
  if (info.title !== undefined && typeof info.title !== 'string') return false;
  return info as { name: string; version: string };
}

/** What a discover result surely tells: the revision agreed and who the server is. */
export interface ModernDiscovery {
  readonly version: string;
  readonly serverInfo: { name: string; version: string } | undefined;
}

/**
 * The probe's answer where the v2 SDK's negotiation surely goes on with `version` (`classifyResult`: the
 * discover result passes its schema and lists the revision): a plain result, `resultType` absent or
 * complete, known capabilities only. Null for anything else, which the SDK then decides.
 */
export function clearlyModern(outcome: ProbeOutcome, version: string): ModernDiscovery | null {
  if (outcome.kind !== 'message' || 'error' in outcome.message) return null;
  const result = outcome.message.result;
  if (!isObject(result)) return null;
  if (result.resultType !== undefined && result.resultType !== 'complete') return null;
  const versions = result.supportedVersions;
  if (
    !Array.isArray(versions) ||
    !versions.every((v) => typeof v === 'string') ||
    !versions.includes(version)
  )
    return null;
  if (result.instructions !== undefined && typeof result.instructions !== 'string') return null;
  if (!plainCapabilities(result.capabilities)) return null;
  const serverInfo = plainServerInfo(result._meta);
  if (serverInfo === false) return null;
  return { version, serverInfo };
}
