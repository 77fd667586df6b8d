/**
 * Number formatting shared by pages and tests. Money arrives as integer cents; exact
 * amounts are formatted from the digits of the cents (BigInt), so no float division can
 * show a wrong cent.
 */

const NARROW = "\u202f"; // narrow no-break space between number and unit

/** Exact amount: 123456789 cents, "USD" → "$1,234,567.89". */
export function formatMoneyExact(cents: number | bigint | string, currency = "USD"): string {
  const units = wholeCents(cents);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(3, "0");
  const grouped = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "−" : ""}${symbol(currency)}${grouped}.${digits.slice(-2)}`;
}

/**
 * An exact decimal string as money, every exported decimal kept: "-1234.5670" → "−$1,234.567".
 * At least two decimals; trailing zeros beyond the cent are dropped.
 */
export function formatMoneyDecimal(decimal: string, currency = "USD"): string {
  const text = decimal.trim();
  if (!/^-?\d*(\.\d*)?$/.test(text) || text === "" || text === "-")
    throw new RangeError(`not a decimal amount: ${decimal}`);
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = text.replace("-", "").split(".");
  const digits = (fraction + "00").replace(/(?<=\d{2})0+$/, "");
  const grouped = (whole.replace(/^0+(?=\d)/, "") || "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const zero = /^0*$/.test(whole + fraction);
  return `${negative && !zero ? "−" : ""}${symbol(currency)}${grouped}.${digits}`;
}

/** Cents as a whole number; a fractional count of cents rounds half away from zero. */
function wholeCents(cents: number | bigint | string): bigint {
  if (typeof cents === "bigint") return cents;
  const text = String(cents).trim();
  if (/^-?\d+$/.test(text)) return BigInt(text);
  const x = Number(text);
  if (!Number.isFinite(x)) throw new RangeError(`not an amount in cents: ${text}`);
  return BigInt(Math.sign(x) * Math.round(Math.abs(x)));
}

/** Rounded for headlines: 123456789 cents → "$1.23M". Null → "—". */
export function formatMoneyCompact(cents: number | null, currency = "USD"): string {
  if (cents === null || !Number.isFinite(cents)) return "—";
  const value = cents / 100;
  const abs = Math.abs(value);
  const sign = value < 0 ? "−" : "";
  const [divisor, suffix] = abs >= 1e9 ? [1e9, "B"] : abs >= 1e6 ? [1e6, "M"] : abs >= 1e3 ? [1e3, "k"] : [1, ""];
  const scaled = abs / divisor;
  const digits = suffix === "" ? 0 : scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return `${sign}${symbol(currency)}${scaled.toFixed(digits)}${suffix}`;
}

/** Compact from $1,000 up, to the cent below (an order value of $12.50 is not "$13"). Null → "—". */
export function formatMoneyShort(cents: number | null, currency = "USD"): string {
  if (cents === null || !Number.isFinite(cents)) return "—";
  return Math.abs(cents) < 100_000
    ? formatMoneyExact(Math.round(cents), currency)
    : formatMoneyCompact(cents, currency);
}

/** 0.1234 → "12.3%". Null → "—". */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(digits)}${NARROW}%`.replace("-", "−");
}

/** 3.456 → "3.5 : 1". */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return `${ratio.toFixed(1)} : 1`;
}

// One formatter per number of digits: toLocaleString with options builds a new one per call
// (a third of a segments re-render went there).
const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return "—";
  let format = NUMBER_FORMATS.get(digits);
  if (!format)
    NUMBER_FORMATS.set(
      digits,
      (format = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })),
    );
  return format.format(value);
}

function symbol(currency: string): string {
  switch (currency) {
    case "USD":
      return "$";
    case "EUR":
      return "€";
    case "GBP":
      return "£";
    default:
      return `${currency}${NARROW}`;
  }
}

/** 1 → "1 account", 1081 → "1,081 accounts": the noun agrees with the count. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}
