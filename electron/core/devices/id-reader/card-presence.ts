/**
 * A card left on the reader is passed on once; it counts again only after the reader has seen
 * no card (lifted). Readers and their services keep reporting a card that lies there, so
 * without this one visitor would be verified again and again.
 */
export class CardPresence {
  private held: string | null = null;

  /** A card with this number is on the reader: true if it was just placed. */
  seen(idNumber: string): boolean {
    if (this.held === idNumber) return false;
    this.held = idNumber;
    return true;
  }

  get holding(): boolean {
    return this.held !== null;
  }

  lifted(): void {
    this.held = null;
  }
}
