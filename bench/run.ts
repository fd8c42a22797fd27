/** `npm run bench -- NAME [args]`: runs bench/NAME.ts with the rest of the arguments (e.g. `upgrade --release …`). */
const [name, ...rest] = process.argv.slice(2);
if (!name || !/^[a-z][a-z-]*$/.test(name)) {
  console.error(
    'usage: npm run bench -- NAME [args] (NAME: a file of bench/, e.g. upgrade, install, validate)',
  );
  process.exit(2);
}
process.argv = [process.argv[0]!, new URL(`./${name}.ts`, import.meta.url).pathname, ...rest];
await import(`./${name}.ts`);
