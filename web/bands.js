// @ts-check
// The band names come from the legend the server renders from the domain's labels, so the
// page never keeps a second copy of them.

/** @type {Map<number, string>} */
const labels = new Map();
for (const item of document.querySelectorAll('.legend li[data-band]')) {
  if (item instanceof HTMLElement) labels.set(Number(item.dataset['band']), item.dataset['label'] ?? '');
}

/** @param {number} band */
export const bandLabel = (band) => labels.get(band) ?? `band ${band}`;

/** The nearest whole band of a mean, for its colour and name. @param {number} mean */
export const nearestBand = (mean) => Math.min(3, Math.max(0, Math.round(mean)));

/**
 * The band's mark: a shape and a colour, hidden from screen readers (the text beside it names the band).
 * @param {number} band
 */
export function bandMark(band) {
  const mark = document.createElement('span');
  mark.className = `band-mark band-${band}`;
  mark.setAttribute('aria-hidden', 'true');
  return mark;
}

/**
 * Shows how many venues are in each band beside the legend's names.
 * @param {Iterable<number>} bands
 */
export function showBandCounts(bands) {
  /** @type {number[]} */
  const counts = [0, 0, 0, 0];
  for (const band of bands) counts[band] = (counts[band] ?? 0) + 1;
  for (const item of document.querySelectorAll('.legend li[data-band]')) {
    const count = item.querySelector('.band-count');
    if (item instanceof HTMLElement && count !== null) count.textContent = `(${counts[Number(item.dataset['band'])] ?? 0})`;
  }
}
