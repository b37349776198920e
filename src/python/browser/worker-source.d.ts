/** The Python worker bundled as one classic script, by scripts/vite/python-sandbox-worker.ts. */
declare module 'virtual:python-sandbox-worker' {
  const source: string;
  export default source;
}
