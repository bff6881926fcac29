/**
 * A small typed event emitter (no `node:events`, so it runs in browsers). A listener that throws does not
 * stop the others or the SDK: its error is rethrown asynchronously, as an uncaught exception, as the
 * platform's EventTarget does in browsers and in Node.
 */
export type EventMap = { [event: string]: (...args: never[]) => void };

export class TypedEmitter<Events extends EventMap> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once. */
  once<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      this.off(event, wrapper);
      (listener as (...a: Parameters<Events[E]>) => void)(...args);
    }) as Events[E];
    return this.on(event, wrapper);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Number of listeners for `event`. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (error) {
        this.reportListenerError(error);
      }
    }
  }

  /** Reports what a listener threw: as an uncaught exception, outside the SDK's own code (as EventTarget does). */
  protected reportListenerError(error: unknown): void {
    setTimeout(() => {
      throw error;
    }, 0);
  }

  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
