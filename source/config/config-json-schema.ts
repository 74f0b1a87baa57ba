import { z } from 'zod';
import { OPTIONS } from './options.js';
import { ConfigSchema } from './schema.js';

type JsonSchema = { properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The config file's JSON Schema, each setting described by its flag's help line. */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  for (const option of OPTIONS) {
    const property = option.field ? schema.properties?.[option.field] : undefined;
    if (property) property['description'] = `--${option.flag}: ${option.help}`;
  }
  return schema;
}
