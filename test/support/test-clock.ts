/**
 * A clock that moves only when a test moves it, in milliseconds since the Unix epoch. It
 * starts at the real time because `TokenBuilder.expired()` and `notYetValid()` read the
 * real clock.
 */
export class TestClock {
  constructor(private current = Date.now()) {}

  /** Reads the time; pass it as the `clock` option of the module and of the dev issuer. */
  readonly now = (): number => this.current;

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}
