import { render, type Instance } from 'ink';
import { App, type AppProps } from './app.js';
import { ColorContext } from './color.js';

/**
 * Draws the live screen. Its own module, loaded only for the screen, so that a headless run loads neither
 * React nor Ink (JSX in the command would import React's runtime in every run).
 */
export function renderLiveScreen(props: AppProps, color: boolean): Instance {
  return render(
    <ColorContext.Provider value={color}>
      <App {...props} />
    </ColorContext.Provider>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 10 },
  );
}
