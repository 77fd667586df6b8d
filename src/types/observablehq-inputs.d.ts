// @observablehq/inputs ships no type declarations; these cover what LTV Atlas uses.
declare module "@observablehq/inputs" {
  type InputElement<T> = HTMLElement & { value: T };
  interface CommonOptions {
    label?: string;
    value?: unknown;
    disabled?: boolean;
  }
  export function select<T>(data: readonly T[], options?: CommonOptions & { format?: (d: T) => string; multiple?: boolean }): InputElement<T>;
  export function text(options?: CommonOptions & { placeholder?: string }): InputElement<string>;
  export function range(extent: [number, number], options?: CommonOptions & { step?: number }): InputElement<number>;
  export function checkbox<T>(data: readonly T[], options?: CommonOptions): InputElement<T[]>;
  export function radio<T>(data: readonly T[], options?: CommonOptions): InputElement<T>;
  export function search<T>(data: readonly T[], options?: CommonOptions & { placeholder?: string }): InputElement<T[]>;
  export function table<T>(data: readonly T[], options?: Record<string, unknown>): InputElement<T[]>;
  export function button(content: string, options?: Record<string, unknown>): InputElement<unknown>;
}
