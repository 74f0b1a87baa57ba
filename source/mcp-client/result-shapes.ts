/**
 * The results a 2025-era client reads, checked as the 1.x SDK's schemas check them (`InitializeResultSchema`,
 * `CallToolResultSchema`, `ListToolsResultSchema` in its types.js), by hand: loading those schemas costs
 * each worker thread more CPU than hundreds of calls. Each check returns null for a valid result or says
 * what is wrong; test/result-shapes.test.ts holds both to the SDK's verdicts on the same results.
 */

type Shape = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Shape =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optional = (value: unknown, type: 'string' | 'boolean'): boolean =>
  value === undefined || typeof value === type;

/** As the SDK's `Base64Schema`: whatever `atob` accepts. */
function isBase64(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    atob(value);
    return true;
  } catch {
    return false;
  }
}

function resourceProblem(resource: unknown): string | null {
  if (!isObject(resource) || typeof resource.uri !== 'string') return 'a resource without a uri';
  if (typeof resource.text === 'string') return null;
  return isBase64(resource.blob) ? null : 'a resource with neither text nor base64 blob';
}

/** One content block: text, image, audio, resource_link or resource. */
function contentProblem(block: unknown): string | null {
  if (!isObject(block)) return 'not an object';
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? null : 'text without a string text';
    case 'image':
    case 'audio':
      return isBase64(block.data) && typeof block.mimeType === 'string'
        ? null
        : `${block.type} without base64 data and a mimeType`;
    case 'resource_link':
      return typeof block.uri === 'string' && typeof block.name === 'string'
        ? null
        : 'resource_link without a uri and a name';
    case 'resource':
      return resourceProblem(block.resource);
    default:
      return `unknown content type ${JSON.stringify(block.type)?.slice(0, 40)}`;
  }
}

export function initializeResultProblem(result: unknown): string | null {
  if (!isObject(result)) return 'not an object';
  if (typeof result.protocolVersion !== 'string') return 'no protocolVersion';
  if (!isObject(result.capabilities)) return 'no capabilities';
  const info = result.serverInfo;
  if (!isObject(info) || typeof info.name !== 'string' || typeof info.version !== 'string')
    return 'serverInfo without a name and a version';
  return optional(result.instructions, 'string') ? null : 'instructions not a string';
}

export function callToolResultProblem(result: unknown): string | null {
  if (!isObject(result)) return 'not an object';
  if (result.content !== undefined) {
    if (!Array.isArray(result.content)) return 'content is not an array';
    for (let index = 0; index < result.content.length; index += 1) {
      const problem = contentProblem(result.content[index]);
      if (problem) return `content[${index}]: ${problem}`;
    }
  }
  if (result.structuredContent !== undefined && !isObject(result.structuredContent))
    return 'structuredContent is not an object';
  return optional(result.isError, 'boolean') ? null : 'isError is not a boolean';
}

function toolProblem(tool: unknown): string | null {
  if (!isObject(tool) || typeof tool.name !== 'string') return 'a tool without a name';
  if (!optional(tool.description, 'string') || !optional(tool.title, 'string'))
    return `tool ${tool.name}: description or title not a string`;
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    const schema = tool[key];
    if (schema === undefined && key === 'outputSchema') continue;
    if (!isObject(schema) || schema.type !== 'object')
      return `tool ${tool.name}: ${key} is not a JSON Schema of type object`;
    if (schema.properties !== undefined && !isObject(schema.properties))
      return `tool ${tool.name}: ${key}.properties is not an object`;
    const required = schema.required;
    if (required !== undefined && !(Array.isArray(required) && required.every((n) => typeof n === 'string')))
      return `tool ${tool.name}: ${key}.required is not a list of names`;
  }
  return null;
}

export function listToolsResultProblem(result: unknown): string | null {
  if (!isObject(result)) return 'not an object';
  if (!Array.isArray(result.tools)) return 'tools is not an array';
  if (!optional(result.nextCursor, 'string')) return 'nextCursor is not a string';
  for (const tool of result.tools) {
    const problem = toolProblem(tool);
    if (problem) return problem;
  }
  return null;
}
