/**
 * Helpers for async native calls.
 * @internal
 */

/**
 * Awaits a native promise; if it rejects, appends the stack of the JS call
 * that started the work (captured in `site`), since the native rejection
 * happens after an async hop and would otherwise show no user frame.
 */
export async function withCallSite<T>(promise: Promise<T>, site: Error): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof Error && site.stack) {
      const frames = site.stack.split('\n').slice(1).join('\n');
      e.stack = `${e.stack ?? String(e)}\n    at <async gradscope call>\n${frames}`;
    }
    throw e;
  }
}
