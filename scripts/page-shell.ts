/**
 * Accessibility fixes to the page shell that Framework 1.13 writes and cannot be configured
 * (WCAG 2.1 AA; checked by axe-core in test/pages/accessibility.test.ts):
 * - `<html lang="en">` (3.1.1 language of page);
 * - a viewport that lets readers zoom: no `maximum-scale=1` (1.4.4 resize text);
 * - a skip link, first in <body>, to the main content (2.4.1 bypass blocks);
 * - the sidebar: the toggle named by aria-label (a title alone is not a label), the close
 *   control moved out of the <ol> (only <li> may sit in a list), the <nav> named.
 * Each rewrite must find its target: a Framework upgrade that changes the shell fails the build.
 */
const REWRITES: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/<html>/, '<html lang="en">', "<html>"],
  [/(<meta name="viewport" content="width=device-width, initial-scale=1), maximum-scale=1(">)/, "$1$2", "viewport"],
  [/<body>\n?/, '<body>\n<a class="skip-link" href="#observablehq-main">Skip to content</a>\n', "<body>"],
];
const SIDEBAR: ReadonlyArray<readonly [RegExp, string, string]> = [
  [
    /<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">/,
    '<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar" aria-label="Show or hide the page list">',
    "sidebar toggle",
  ],
  [
    // After the first list, not before it: Framework's CSS styles `#observablehq-sidebar > ol:first-child`.
    /<nav id="observablehq-sidebar">\n(\s*<ol>)\n\s*(<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"><\/label>)\n([\s\S]*?<\/ol>)/,
    '<nav id="observablehq-sidebar" aria-label="Pages">\n$1\n$3\n  $2',
    "sidebar close label",
  ],
];

export function accessibleShell(html: string, file: string): string {
  const rewrites = html.includes('id="observablehq-sidebar"') ? [...REWRITES, ...SIDEBAR] : REWRITES;
  let out = html;
  for (const [pattern, replacement, what] of rewrites) {
    if (!pattern.test(out)) throw new Error(`${file}: Framework's page shell changed, no ${what} to make accessible`);
    out = out.replace(pattern, replacement);
  }
  return out;
}
