/**
 * Memory probe that the soak script preloads into the demo process with `node -r`. On the IPC
 * message `memory` it runs a full garbage collection (when `--expose-gc` is set) and replies
 * with `process.memoryUsage()`. So the soak can tell retained memory from heap not yet collected.
 */
process.on('message', (message: unknown) => {
  if (message !== 'memory' || process.send === undefined) {
    return;
  }
  (globalThis as { gc?: () => void }).gc?.();
  process.send({ kind: 'memory', usage: process.memoryUsage() });
});
// The IPC channel must not keep the demo alive once its server has closed.
process.channel?.unref();
