import { Text } from 'ink';
import type { Notice } from '../ui-state.js';
import { useTone } from '../color.js';

export const KEY_HINTS = '↑↓±1 PgUp/Dn±10 n:N spc:pause s:set t:mix a:steps m:mark e:report ?:help q:quit';
const OPEN_MODEL_HINTS =
  '↑↓ rate ×÷1.1 PgUp/Dn ×÷2 n:rate spc:pause s:set t:mix a:steps m:mark e:report ?:help q:quit';

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
