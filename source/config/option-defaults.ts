import type { CliOption } from './options.js';
import { ConfigSchema } from './schema.js';

/** The default of an option as a person would type it (`1000-5000`), from the schema; '' when there is none. */
export function defaultText(option: CliOption): string {
  if (option.defaultText) return option.defaultText;
  if (!option.field || option.type === 'switch') return '';
  const parsed = ConfigSchema.shape[option.field].safeParse(undefined);
  const value: unknown = parsed.success ? parsed.data : undefined;
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (value && typeof value === 'object' && 'min' in value && 'max' in value)
    return `${String(value.min)}-${String(value.max)}`;
  return '';
}
