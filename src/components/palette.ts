/**
 * Chart colours that keep 3 : 1 against the card and page backgrounds of both themes
 * (WCAG 2.1 1.4.11): light cards #f6f6f6 and white need a relative luminance ≤ 0.27, dark
 * cards #161616 and their page ≥ 0.14, so every colour here is a mid tone in that band
 * (Tableau's blue, red, purple and brown are; its orange, green, teal, yellow, pink and grey
 * were too pale and are darkened). Hue tells them apart; each chart has a legend for them.
 * test/support/contrast.ts measures what the browser paints.
 */
export const CATEGORICAL = [
  "#4e79a7", // blue
  "#c7651b", // orange
  "#3f8f3f", // green
  "#e15759", // red
  "#b07aa1", // purple
  "#2f8f83", // teal
  "#9c755f", // brown
  "#a57900", // ochre
  "#c05a9a", // pink
  "#8a8a8a", // grey
] as const;

/** MRR movements in MOVEMENTS order: new, expansion, contraction, churn, reactivation. */
export const MOVEMENT_COLORS = [CATEGORICAL[0], CATEGORICAL[2], CATEGORICAL[1], CATEGORICAL[3], CATEGORICAL[4]];

/** ABC classes A, B, C, none. */
export const CLASS_COLORS = [CATEGORICAL[0], CATEGORICAL[1], CATEGORICAL[5], CATEGORICAL[9]];

/** Relative luminance (WCAG) of a "#rrggbb" or "rgb(r, g, b)" colour. */
export function luminance(color: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const rgb = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(color);
  const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb ? rgb.slice(1).map(Number) : null;
  if (!parts) throw new Error(`not a colour: ${color}`);
  const [r, g, b] = parts.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Text colour for a value written on a cell of colour `fill`: black or white, whichever
 * contrasts more (one of them always reaches 4.58 : 1).
 */
export function inkOn(fill: string): "black" | "white" {
  const l = luminance(fill);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "black" : "white";
}
