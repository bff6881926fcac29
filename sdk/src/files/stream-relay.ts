/**
 * A pull-through copy of a byte stream with hooks on its chunks, its end and its failure. It reads the source
 * only when its own reader asks (no read-ahead), so backpressure reaches the source unchanged.
 */

export interface RelayHooks {
  /** Sees each chunk before it is passed on; may throw to fail the stream. */
  chunk?(value: Uint8Array): void;
  /** Runs when the source ends; may throw to fail the stream instead of closing it. */
  end?(): void;
  /** Sees what the source failed with and returns what the relay fails with (the same error by default). */
  error?(error: unknown): unknown;
}

export function relay(source: ReadableStream<Uint8Array>, hooks: RelayHooks): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          throw hooks.error ? hooks.error(error) : error;
        }
        if (result.done) {
          hooks.end?.();
          controller.close();
          return;
        }
        hooks.chunk?.(result.value);
        controller.enqueue(result.value);
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
