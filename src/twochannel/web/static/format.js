/* Number formatting for the page: precision that never hides which side of a threshold a
   value lies on, percentages, years with their resolution. */
"use strict";

/* Digits (≥ base) at which x and threshold, rounded, still show their true order. */
function sideDigits(x, threshold, base) {
  let d = base;
  if (!isFinite(x) || !isFinite(threshold) || x === threshold) return d;
  for (; d < 10; d++) {
    const a = Number(x.toFixed(d)), b = Number(threshold.toFixed(d));
    if ((x < threshold && a < b) || (x > threshold && a > b)) return d;
  }
  return d;
}

/* [x, threshold] as strings in percent with the digits that keep their order visible. */
function pctPair(x, threshold, base = 1) {
  const d = sideDigits(100 * x, 100 * threshold, base);
  return [(100 * x).toFixed(d), (100 * threshold).toFixed(d)];
}

function share(x, d = 3) { return x == null || !isFinite(x) ? "—" : Number(x).toFixed(d); }

function yearPm(year, resolution) {
  const d = resolution >= 1 ? 0 : Math.max(0, Math.ceil(-Math.log10(resolution) - 1e-9));
  return `${year.toFixed(d)} ± ${resolution.toFixed(d)}`;
}

if (typeof module !== "undefined") module.exports = { sideDigits, pctPair, share, yearPm };
