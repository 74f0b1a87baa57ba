/** The URL as it may be shown: no user or password, no query (tokens travel there). */
export function showUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
