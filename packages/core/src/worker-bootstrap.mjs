// Entry of every WorkerPool thread. Node 20 does not apply loader hooks (tsx's --import)
// inside worker threads, so a TypeScript worker file registers tsx here and is then
// imported; a JavaScript one is imported as it is. The file to run is the last argv entry.
const file = process.argv[process.argv.length - 1];
if (/\.[cm]?ts$/.test(new URL(file).pathname)) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(file);
