import { Text } from 'ink';
import type { Notice } from '../ui-state.js';
import { useTone } from '../color.js';

export const KEY_HINTS = '↑↓±1 PgUp/Dn±10 n:N spc:pause s:set t:mix a:steps m:mark e:report ?:help q:quit';

export function Footer({ notice }: { readonly notice: Notice | null }) {
  const tone = useTone();
  return notice ? (
    <Text color={notice.level === 'error' ? tone('red') : tone('green')} wrap="truncate-end">
      {notice.text}
    </Text>
  ) : (
    <Text dimColor wrap="truncate-end">
      {KEY_HINTS}
    </Text>
  );
}
