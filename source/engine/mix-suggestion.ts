import { Ajv } from 'ajv';
import type { ToolInfo } from './snapshot.js';

type Schema = Readonly<Record<string, unknown>>;

/** A value that fits one property's schema, from what it declares (default, const, enum, type, bounds). */
function exampleOf(schema: Schema): unknown {
  if ('default' in schema) return schema['default'];
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'string': {
      const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
      return 'hello'.padEnd(min, 'o');
    }
    case 'integer':
    case 'number': {
      const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : null;
      const exclusive =
        typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] + 1 : null;
      return minimum ?? exclusive ?? 1;
    }
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return argumentsFor(schema);
    default:
      return 'hello';
  }
}

/** Arguments with every required property of an object schema filled in. */
function argumentsFor(schema: Schema): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  return Object.fromEntries(required.map((name) => [name, exampleOf(properties[name] ?? {})]));
}

/**
 * A `--mix` (and `--args` where a tool needs them) for the server's first tools, each checked against the
 * tool's own inputSchema, so the suggestion runs as written. Tools that need no arguments come first.
 */
export function suggestMix(tools: readonly ToolInfo[], count = 2): string {
  const ajv = new Ajv({ strict: false, validateSchema: false, logger: false });
  const fitting: { name: string; args: Record<string, unknown> }[] = [];
  for (const tool of tools) {
    const { $schema: _ignored, ...schema } = tool.inputSchema;
    const args = argumentsFor(schema);
    try {
      if (ajv.validate(schema, args)) fitting.push({ name: tool.name, args });
    } catch {
      // A schema we cannot compile is no suggestion.
    }
  }
  fitting.sort((a, b) => Object.keys(a.args).length - Object.keys(b.args).length);
  const chosen = fitting.slice(0, count);
  if (chosen.length === 0)
    return `--mix "${tools[0]?.name ?? 'tool'}:1" --args '${tools[0]?.name ?? 'tool'}={…}'`;
  const mix = `--mix "${chosen.map((tool) => `${tool.name}:1`).join(',')}"`;
  const args = chosen
    .filter((tool) => Object.keys(tool.args).length > 0)
    .map((tool) => ` --args '${tool.name}=${JSON.stringify(tool.args)}'`)
    .join('');
  return mix + args;
}
