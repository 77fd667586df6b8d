// htl@0.3 (the version Framework bundles) ships no type declarations.
declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): Node;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): Node;
}
