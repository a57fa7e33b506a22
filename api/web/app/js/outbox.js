// Messages not yet delivered, kept in localStorage with their client_message_id: typed offline
// or while the server was down, they survive a reload and are sent once when the connection is
// back (the server is idempotent on client_message_id, so a repeat is never a second turn).

export class Outbox {
  constructor(key) {
    this.key = `hm.outbox.${key}`;
  }

  items() {
    try {
      return JSON.parse(localStorage.getItem(this.key) || "[]");
    } catch {
      return [];
    }
  }

  #save(items) {
    localStorage.setItem(this.key, JSON.stringify(items));
  }

  add(item) {
    this.#save([...this.items().filter((i) => i.id !== item.id), item]);
  }

  remove(id) {
    this.#save(this.items().filter((i) => i.id !== id));
  }
}
