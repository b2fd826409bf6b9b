// Setup for every test file (vitest.config.ts): in the screens' tests (happy-dom), Testing
// Library's findBy* and waitFor wait up to 5 s instead of 1 s. They return as soon as the element
// is there; the longer wait only keeps a busy 2-core machine (the whole suite, two files at a time,
// beside the integration tests' databases) from failing a screen that was merely slow to render.
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 5_000 });
}
export {};
