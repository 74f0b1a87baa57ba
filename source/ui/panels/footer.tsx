import { Text } from 'ink';
import type { Notice } from '../ui-state.js';
import { useTone } from '../color.js';

// Quit and help come first: on an 80-column terminal the end of the line is cut off.
export const KEY_HINTS =
  'q:quit ?:help ↑↓±1 PgUp/Dn±10 n:N spc:pause s:set t:mix a:steps f:findings m:mark e:report';
const OPEN_MODEL_HINTS =
  'q:quit ?:help ↑↓ rate ×÷1.1 PgUp/Dn ×÷2 n:rate spc:pause s:set t:mix a:steps f:findings m:mark e:report';

export function Footer({
  notice,
  open = false,
}: {
  readonly notice: Notice | null;
  readonly open?: boolean;
}) {
  const tone = useTone();
  return notice ? (
    <Text color={notice.level === 'error' ? tone('red') : tone('green')} wrap="truncate-end">
      {notice.text}
    </Text>
  ) : (
    <Text dimColor wrap="truncate-end">
      {open ? OPEN_MODEL_HINTS : KEY_HINTS}
    </Text>
  );
}
