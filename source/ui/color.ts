import { createContext, useContext } from 'react';

/** False when NO_COLOR is set (https://no-color.org) or the terminal has no colours. */
export const ColorContext = createContext(true);

type Tone = 'red' | 'yellow' | 'green' | 'cyan' | 'gray';

/** A colour for Ink's `color` prop, or undefined when colours are off. */
export function useTone(): (tone: Tone) => Tone | undefined {
  const enabled = useContext(ColorContext);
  return (tone) => (enabled ? tone : undefined);
}
