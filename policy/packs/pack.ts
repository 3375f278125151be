/** A pack selects rules for one framework, each mapped to the clause it gives evidence for. */
export interface Pack {
  readonly id: string;
  readonly title: string;
  /** The framework or standard the pack follows. */
  readonly framework: string;
  readonly rules: readonly { readonly rule: string; readonly clause: string }[];
}
