// Normal ranges of readings, as the API gives them (from the guideline facts table), and the
// flag of one reading against them. No range is invented here.

function applicable(ranges, kind, value, meal) {
  const own = ranges.filter((r) => r.kind === kind && r.value === value);
  return own.find((r) => r.meal_context && r.meal_context === meal) || own.find((r) => !r.meal_context);
}

function describe(range) {
  if (range.low !== null && range.high !== null) return `${range.low}–${range.high} ${range.unit}`;
  if (range.high !== null) return `< ${range.high} ${range.unit}`;
  return `≥ ${range.low} ${range.unit}`;
}

/** {range, flag: "ok"|"high"|"low"} for a reading's values, or null when no range applies. */
export function flagOf(ranges, kind, values, meal) {
  if (!ranges?.length || !values) return null;
  const used = [];
  let flag = "ok";
  for (const [name, raw] of Object.entries(values)) {
    const range = applicable(ranges, kind, name, meal);
    if (!range) continue;
    const v = Number(raw);
    if (range.high !== null && v >= range.high) flag = "high";
    else if (range.low !== null && v < range.low && flag === "ok") flag = "low";
    used.push(range);
  }
  if (!used.length) return null;
  const onlyHighs = used.every((r) => r.low === null && r.high !== null && r.unit === used[0].unit);
  const text = onlyHighs && used.length > 1
    ? `< ${used.map((r) => r.high).join("/")} ${used[0].unit}` // blood pressure: < 135/85 mmHg
    : used.map(describe).join(" / ");
  return { range: text, flag };
}

/** A reading's values as people write them: 150/95 for blood pressure. */
export function valueText(values) {
  return Object.values(values || {}).join("/");
}
