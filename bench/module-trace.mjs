// `node --import ./bench/module-trace.mjs …` with MODULE_TRACE=FILE: appends every module the process and
// its worker threads load to FILE, one `THREAD URL` a line (ES modules as the loader loads them, CommonJS
// modules from the require cache when the thread ends).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';
import { threadId } from 'node:worker_threads';

const file = process.env.MODULE_TRACE;
if (file) {
  const hook = `
    import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) {
      if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(file)}, 'esm ' + url + '\\n');
      return next(url, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const cache = createRequire(import.meta.url).cache;
  const dump = () => {
    const lines = Object.keys(cache).map((path) => `${threadId} file://${path}\n`);
    appendFileSync(file, lines.join(''));
  };
  process.once('exit', dump);
}
