/** The ids of recently seen messages and files, to drop duplicates; forgets the oldest beyond `capacity`. */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 4096) {}

  /** Records `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
