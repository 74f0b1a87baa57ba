import { PreflightError } from './preflight-error.js';
import { Ajv } from 'ajv';
import type { MixEntry } from '../config/schema.js';
import { createSessionFactory } from '../mcp-client/open-session.js';
import { describeTarget, redactTarget, serverTextOf, type Target } from '../mcp-client/target.js';
import { classifyError } from '../mcp-client/error-kind.js';
import { connectionHint } from '../mcp-client/connection-hints.js';
import { suggestMix } from './mix-suggestion.js';
import type { ToolInfo } from './snapshot.js';
import type { ProtocolChoice } from '../mcp-client/protocol-era.js';
import { refusedRevision } from './refused-revision.js';

/** Longer tool names are cut where shown (the spec asks for at most 128 characters). */
const TOOL_NAME_MAX = 128;

/** The run cannot start: the message is one line that says what to do. */
export { PreflightError };

export interface PreflightResult {
  readonly tools: readonly ToolInfo[];
  readonly server: { readonly name: string; readonly version: string } | null;
  /** Time to the first successful initialize, ms (servers that start slowly show here). */
  readonly initializeMs: number;
  readonly startup: Startup;
  /** The revision the run speaks (what `auto` found, or the one pinned). */
  readonly protocolVersion: string;
  /** True when the server issued a session id. */
  readonly stateful: boolean;
}

/** How the server came up: initialize attempts that failed before the first one succeeded, and when. */
export interface Startup {
  readonly failuresBeforeFirstSession: number;
  /** From the start of the run (the `--spawn` or the first attempt) to the first session, ms. */
  readonly msToFirstSession: number;
}

async function unreachable(target: Target, error: unknown): Promise<PreflightError> {
  const failure = classifyError(error);
  const where = describeTarget(redactTarget(target));
  const message = serverTextOf(target).clean(failure.message);
  const specific = target.transport === 'stdio' ? null : await connectionHint(target, failure.kind);
  // Our own words: the only server text in them (a WWW-Authenticate challenge) is cleaned where it is read.
  const hint =
    specific ??
    (target.transport === 'stdio'
      ? 'check the command after --'
      : failure.kind.startsWith('http-4')
        ? 'check --url and --header'
        : 'is the server running? check --url');
  return new PreflightError(
    `cannot open an MCP session with ${where}: ${message} (${failure.kind}); ${hint}`,
  );
}

/** Checks the mix against the server's own tool list and each tool's inputSchema. */
export function checkMix(
  tools: readonly ToolInfo[],
  mix: readonly MixEntry[],
  args: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): void {
  const names = tools.map((tool) => tool.name);
  const known = `tools on this server: ${names.join(', ') || '(none)'}`;
  for (const { tool } of mix) {
    if (!names.includes(tool)) throw new PreflightError(`--mix: unknown tool "${tool}"; ${known}`);
  }
  for (const tool of Object.keys(args)) {
    if (!names.includes(tool)) throw new PreflightError(`--args: unknown tool "${tool}"; ${known}`);
  }
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, logger: false });
  for (const { tool } of mix) {
    const info = tools.find((candidate) => candidate.name === tool)!;
    const { $schema: _ignored, ...schema } = info.inputSchema;
    let valid: boolean;
    let errors: string;
    try {
      const validate = ajv.compile(schema);
      valid = validate(args[tool] ?? {});
      errors = ajv.errorsText(validate.errors, { dataVar: 'arguments' });
    } catch (error) {
      throw new PreflightError(
        `tool "${tool}" has an inputSchema that cannot be used: ${(error as Error).message}`,
      );
    }
    if (!valid) {
      const given = args[tool] ? JSON.stringify(args[tool]) : 'no arguments';
      throw new PreflightError(
        `--args: ${given} do not fit tool "${tool}": ${errors}; pass --args '${tool}={…}' matching its inputSchema ${JSON.stringify(schema)}`,
      );
    }
  }
}

/** Opens one session before the load starts: lists the server's tools and checks the mix against them. */
export async function preflight(
  target: Target,
  options: {
    readonly mix: readonly MixEntry[] | undefined;
    readonly args: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly timeoutMs: number;
    /** A server we just started may not be ready: retry initialize until this long after `since`. */
    readonly retry?: { readonly since: number; readonly forMs: number };
    /** `auto` probes once here (`server/discover`, else the 2025 handshake). @default '2025-11-25' */
    readonly protocol?: ProtocolChoice;
    /** The option that pinned `protocol`, for the line a refusal gets. @default '--protocol' */
    readonly flag?: '--protocol' | '--protocol-mix';
  },
): Promise<PreflightResult> {
  const factory = createSessionFactory(target, {
    timeoutMs: () => Math.min(options.timeoutMs, 30_000),
    protocol: options.protocol,
  });
  const text = serverTextOf(target);
  const since = options.retry?.since ?? Date.now();
  let started: number;
  let failures = 0;
  let session;
  for (;;) {
    started = performance.now();
    try {
      session = await factory.open();
      break;
    } catch (error) {
      failures += 1;
      if (!options.retry || Date.now() - since > options.retry.forMs) {
        await factory.destroy(false);
        throw refusedRevision(error, options.protocol, options.flag) ?? (await unreachable(target, error));
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const initializeMs = performance.now() - started;
  const startup = { failuresBeforeFirstSession: failures, msToFirstSession: Date.now() - since };
  try {
    const tools: ToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await session.listTools(cursor);
      // Names and descriptions are shown on screen and in reports: the server's text, cleaned.
      for (const tool of page.tools) {
        tools.push({
          name: text.clean(tool.name, TOOL_NAME_MAX),
          description: tool.description === undefined ? undefined : text.clean(tool.description, 1000),
          inputSchema: tool.inputSchema,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (!options.mix) {
      throw new PreflightError(
        `--mix is required for this server, e.g. ${suggestMix(tools)}; tools on this server: ${tools.map((tool) => tool.name).join(', ')}`,
      );
    }
    checkMix(tools, options.mix, options.args);
    const version = session.serverVersion();
    const server = version
      ? { name: text.clean(version.name, 200), version: text.clean(version.version, 100) }
      : null;
    const { protocolVersion, stateful } = session;
    return { tools, server, initializeMs, startup, protocolVersion, stateful };
  } catch (error) {
    // A mismatch quotes the server's inputSchema: its text too.
    if (error instanceof PreflightError) throw new PreflightError(text.clean(error.message, 4000));
    throw await unreachable(target, error);
  } finally {
    await session.close().catch(() => undefined);
    await factory.destroy();
  }
}
