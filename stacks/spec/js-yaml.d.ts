/**
 * The part of js-yaml 4.3 (which ships no type declarations) that plain-yaml.ts uses: `load`
 * with a schema and its documented `listener`, called with the reader's state when each node
 * opens and closes (js-yaml README, "load (string [ , options ])").
 */
declare module 'js-yaml' {
  export interface Schema {
    readonly __schema: unique symbol;
  }
  export const FAILSAFE_SCHEMA: Schema;
  /** The reader's state as the listener sees it; `result` may be replaced on 'close'. */
  export interface LoadState {
    kind: string | null;
    tag: string | null;
    anchor: string | null;
    result: unknown;
    /** Offset in the text: where a node starts on 'open' (before the space ahead of it), where it ends on 'close'. */
    readonly position: number;
    readonly anchorMap: Record<string, unknown>;
  }
  export interface LoadOptions {
    schema?: Schema;
    json?: boolean;
    listener?: (event: 'open' | 'close', state: LoadState) => void;
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
