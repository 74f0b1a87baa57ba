import { Text } from 'ink';
import type { Notice } from '../ui-state.js';
import { useTone } from '../color.js';

// Quit and help come first; below their full width a compact set that fits 80 columns is shown.
export const KEY_HINTS =
  'q:quit ?:help ↑↓±1 PgUp/Dn±10 n:N spc:pause s:set t:mix a:steps f:findings m:mark e:report';
const OPEN_MODEL_HINTS =
  'q:quit ?:help ↑↓ rate ×÷1.1 PgUp/Dn ×÷2 n:rate spc:pause s:set t:mix a:steps f:findings m:mark e:report';
const COMPACT_HINTS = 'q:quit ?:keys ↑↓±1 PgUp/Dn±10 n:N ␣:pause s:set t:mix a:plan f:find m:mark e:rep';
const COMPACT_OPEN_MODEL_HINTS =
  'q:quit ?:keys ↑↓×÷1.1 PgUp/Dn×÷2 n:rate ␣:pause s:set t:mix f:find m:mark e:rep';

/** The key hints that fit `columns`. */
export function keyHints(open: boolean, columns: number): string {
  const full = open ? OPEN_MODEL_HINTS : KEY_HINTS;
  return full.length <= columns ? full : open ? COMPACT_OPEN_MODEL_HINTS : COMPACT_HINTS;
}

export function Footer({
  notice,
  open = false,
  columns = 80,
}: {
  readonly notice: Notice | null;
  readonly open?: boolean;
  readonly columns?: number;
}) {
  const tone = useTone();
  return notice ? (
    <Text color={notice.level === 'error' ? tone('red') : tone('green')} wrap="wrap">
      {notice.text}
    </Text>
  ) : (
    <Text dimColor wrap="truncate-end">
      {keyHints(open, columns)}
    </Text>
  );
}
