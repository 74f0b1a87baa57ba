/** Text fitted to a width: wrapped at spaces, or shortened in the middle. */

/**
 * `text` in lines of at most `width` characters, broken at spaces; a word longer than a line is split.
 * Nothing is dropped: the lines joined with spaces give the text back.
 */
export function wrapWords(text: string, width: number): string[] {
  const size = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (line === '' && [...rest].length > size) {
      lines.push([...rest].slice(0, size).join(''));
      rest = [...rest].slice(size).join('');
    }
    if (line === '') line = rest;
    else if ([...line].length + 1 + [...rest].length <= size) line = `${line} ${rest}`;
    else {
      lines.push(line);
      while ([...rest].length > size) {
        lines.push([...rest].slice(0, size).join(''));
        rest = [...rest].slice(size).join('');
      }
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}

/** `text` cut to `max` characters by an ellipsis in its middle, both ends kept. */
export function shortenMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  const left = Math.ceil((max - 1) / 2);
  const right = max - 1 - left;
  return `${chars.slice(0, left).join('')}…${right > 0 ? chars.slice(-right).join('') : ''}`;
}

/**
 * A URL cut to `max` characters: the scheme and host whole, an ellipsis, and the end of the path (from a `/`
 * where one falls in it), e.g. `https://mcp.example.com/…/v2/mcp`. A host too long for that is cut in its middle.
 */
export function shortenUrl(url: string, max: number): string {
  if ([...url].length <= max) return url;
  const match = /^([a-z][\w+.-]*:\/\/[^/?#]+)(.*)$/i.exec(url);
  const head = match?.[1];
  const path = match?.[2] ?? '';
  const room = max - (head?.length ?? 0) - 1;
  // Too little left for the path's end (its last segment, up to 8 characters): cut the middle instead.
  if (!head || room < Math.min(8, path.length - path.lastIndexOf('/'))) return shortenMiddle(url, max);
  let tail = path.slice(path.length - room);
  const slash = tail.indexOf('/');
  if (slash > 0 && slash < tail.length - 1) tail = tail.slice(slash);
  return `${head}…${tail}`;
}

/**
 * Each line of `text` longer than `width` broken at spaces, its continuation lines indented two more than
 * it: the summary on a terminal, whose own wrapping would split words.
 */
export function wrapLines(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if ([...line].length <= width) return [line];
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      const [first = '', ...rest] = wrapWords(line.slice(indent), Math.max(20, width - indent - 2));
      return [`${' '.repeat(indent)}${first}`, ...rest.map((part) => `${' '.repeat(indent + 2)}${part}`)];
    })
    .join('\n');
}
