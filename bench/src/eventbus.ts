/**
 * The library under test, by its public entry point (libs/eventbus/src/index.ts, the file the
 * `@app/eventbus` alias names). A relative import needs no alias resolution at run time: tsc
 * compiles the library next to the bench in bench/dist and plain node runs it.
 */
export * from '../../libs/eventbus/src/index.js';
