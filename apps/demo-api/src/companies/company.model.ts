/** A company as the API returns it. */
export interface Company {
  readonly id: string;
  readonly name: string;
  readonly corporationId: string | null;
}
