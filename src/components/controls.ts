/**
 * Plain-DOM inputs and table for the analyst pages. Observable Inputs builds its elements with
 * htl templates whose event-handler placeholders (`oninput="::0"`) are inline handler
 * attributes for an instant, which the site's Content-Security-Policy reports as violations;
 * these controls set handlers as properties and cell text with textContent only.
 */
export interface Control<T> extends HTMLElement {
  value: T;
}

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;

/**
 * A labelled control. A single field gets a <label for>; a group of radios (`group`) is a
 * role="radiogroup" named by its visible label through aria-labelledby (a <label> may only
 * name one form field).
 */
function wrap<T>(label: string, field: HTMLElement, get: () => T, set: (v: T) => void, group = false): Control<T> {
  const root = document.createElement("div") as unknown as Control<T>;
  root.className = "control";
  const id = field.id || nextId("control");
  field.id = id;
  const l = document.createElement(group ? "span" : "label");
  l.className = "control-label";
  l.textContent = label;
  if (group) {
    l.id = `${id}-label`;
    field.setAttribute("role", "radiogroup");
    field.setAttribute("aria-labelledby", l.id);
  } else (l as HTMLLabelElement).htmlFor = id;
  root.append(l, field);
  Object.defineProperty(root, "value", { get, set });
  return root;
}

/** A select; `format` gives each option's text (the value is the option itself). */
export function select<T extends string | number>(
  options: readonly T[],
  { label, value, format = String }: { label: string; value?: T; format?: (v: T) => string },
): Control<T> {
  const el = document.createElement("select");
  for (const [i, o] of options.entries()) {
    const opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = format(o);
    el.append(opt);
  }
  const set = (v: T) => {
    el.value = String(Math.max(0, options.indexOf(v)));
  };
  if (value !== undefined) set(value);
  const root = wrap(label, el, () => options[Number(el.value)], set);
  el.oninput = () => root.dispatchEvent(new Event("input"));
  return root;
}

/**
 * A list of which several may be chosen (a native <select multiple>: the keyboard and screen
 * readers know it). Its first option, `all`, stands for no choice: choosing it clears the
 * others, choosing another clears it, and it is chosen again when nothing else is. The value
 * is the chosen options, [] for all.
 */
export function multiSelect<T extends string>(
  options: readonly T[],
  { label, all, value }: { label: string; all: string; value: readonly T[] },
): Control<T[]> {
  const el = document.createElement("select");
  el.multiple = true;
  el.size = Math.min(options.length + 1, 4);
  for (const [i, o] of [all, ...options].entries()) {
    const opt = document.createElement("option");
    opt.value = String(i - 1);
    opt.textContent = o;
    el.append(opt);
  }
  const [allOption, ...valueOptions] = [...el.options];
  const get = () => valueOptions.filter((o) => o.selected).map((o) => options[Number(o.value)]);
  // Whether `all` was chosen before this input: choosing it now clears the others.
  let allBefore = true;
  const set = (v: readonly T[]) => {
    for (const o of valueOptions) o.selected = v.includes(options[Number(o.value)]);
    allOption.selected = !valueOptions.some((o) => o.selected);
    allBefore = allOption.selected;
  };
  set(value);
  const root = wrap(label, el, get, set);
  el.oninput = () => {
    if (allOption.selected && !allBefore) set([]);
    else if (valueOptions.some((o) => o.selected)) allOption.selected = false;
    else allOption.selected = true;
    allBefore = allOption.selected;
    root.dispatchEvent(new Event("input"));
  };
  return root;
}

/** Radio buttons; input values are the options themselves. */
export function radio<T extends string>(
  options: readonly T[],
  { label, value, format = String }: { label: string; value: T; format?: (v: T) => string },
): Control<T> {
  const group = document.createElement("span");
  group.className = "radio-group";
  const name = nextId("radio");
  const inputs = options.map((o) => {
    const input = document.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = o;
    input.checked = o === value;
    const l = document.createElement("label");
    l.append(input, ` ${format(o)}`);
    group.append(l);
    return input;
  });
  const root = wrap(
    label,
    group,
    () => (inputs.find((i) => i.checked)?.value ?? value) as T,
    (v) => inputs.forEach((i) => (i.checked = i.value === v)),
    true,
  );
  group.onchange = () => root.dispatchEvent(new Event("input"));
  return root;
}

export function numberInput({
  label,
  value,
  min,
  max,
  step = 1,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
}): Control<number> {
  const el = document.createElement("input");
  el.type = "number";
  el.min = String(min);
  el.max = String(max);
  el.step = String(step);
  el.value = String(value);
  const root = wrap(
    label,
    el,
    () => Number(el.value),
    (v) => (el.value = String(v)),
  );
  el.oninput = () => root.dispatchEvent(new Event("input"));
  return root;
}

export function textInput({
  label,
  placeholder = "",
  maxLength,
}: {
  label: string;
  placeholder?: string;
  maxLength?: number;
}): Control<string> {
  const el = document.createElement("input");
  el.type = "search";
  el.placeholder = placeholder;
  if (maxLength !== undefined) el.maxLength = maxLength;
  const root = wrap(
    label,
    el,
    () => el.value,
    (v) => (el.value = v),
  );
  el.oninput = () => root.dispatchEvent(new Event("input"));
  return root;
}

export interface TableOptions<T> {
  readonly columns: Readonly<Record<string, string>>;
  readonly format?: Readonly<Record<string, (v: never) => string>>;
  /** Rows visible before scrolling. */
  readonly rowsShown?: number;
  /** At most this many rows are drawn (the CSV download has all). */
  readonly maxRows?: number;
  readonly onSelect?: (row: T) => void;
}

/** A scrollable table; numbers right-aligned; every cell set with textContent. */
export function dataTable<T extends object>(
  rows: readonly T[],
  { columns, format = {}, rowsShown = 12, maxRows = 500, onSelect }: TableOptions<T>,
): HTMLElement {
  const keys = Object.keys(columns);
  const table = document.createElement("table");
  table.className = "data-table";
  const head = table.createTHead().insertRow();
  if (onSelect) {
    const th = document.createElement("th");
    const text = document.createElement("span");
    text.className = "visually-hidden";
    text.textContent = "Select";
    th.append(text);
    head.append(th);
  }
  for (const k of keys) {
    const th = document.createElement("th");
    th.textContent = columns[k];
    head.append(th);
  }
  const body = table.createTBody();
  const name = nextId("row");
  for (const row of rows.slice(0, maxRows)) {
    const tr = body.insertRow();
    if (onSelect) {
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.setAttribute("aria-label", "select this row");
      input.onchange = () => onSelect(row);
      tr.insertCell().append(input);
    }
    for (const k of keys) {
      const v = (row as Record<string, unknown>)[k];
      const td = tr.insertCell();
      const f = format[k] as ((v: unknown) => string) | undefined;
      td.textContent = f ? f(v) : v === null || v === undefined ? "" : String(v);
      if (typeof v === "number" || (v === null && f)) td.className = "num";
    }
  }
  const scroll = document.createElement("div");
  scroll.className = "table-scroll";
  // Reachable by keyboard from the start; components/a11y.ts names the region after its card.
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "region");
  scroll.style.maxHeight = `${2 + (rowsShown + 1) * 1.6}rem`;
  scroll.append(table);
  if (rows.length > maxRows) {
    const note = document.createElement("p");
    note.className = "chart-caption";
    note.textContent = `The first ${maxRows} of ${rows.length} rows are shown; the CSV has all of them.`;
    const box = document.createElement("div");
    box.append(scroll, note);
    return box;
  }
  return scroll;
}
