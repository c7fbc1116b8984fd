// @ts-check
// Lists of venues as buttons (the nearby list, the search results): each selects its venue by
// click or keyboard, and names the band in words beside its mark.
import { bandMark } from './bands.js';

/**
 * @typedef {object} VenueItem
 * @property {string} venueId
 * @property {string} name
 * @property {number | null} band null = no reading
 * @property {string} meta the line under the name
 */

/**
 * @param {HTMLElement} list a ul or ol
 * @param {VenueItem[]} items
 * @param {(venueId: string) => void} onSelect
 * @param {string | null} selectedId
 */
export function renderVenueList(list, items, onSelect, selectedId) {
  // A refresh must not take the keyboard focus away from the venue it was on.
  const focused =
    document.activeElement instanceof HTMLElement && list.contains(document.activeElement)
      ? document.activeElement.dataset['venueId']
      : undefined;
  list.replaceChildren(
    ...items.map((item) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset['venueId'] = item.venueId;
      if (item.venueId === selectedId) button.setAttribute('aria-current', 'true');
      const name = document.createElement('span');
      name.className = 'venue-name';
      name.textContent = item.name;
      const meta = document.createElement('span');
      meta.className = 'venue-meta';
      meta.textContent = item.meta;
      button.append(item.band === null ? document.createElement('span') : bandMark(item.band), name, meta);
      button.addEventListener('click', () => onSelect(item.venueId));
      const entry = document.createElement('li');
      entry.append(button);
      return entry;
    }),
  );
  if (focused !== undefined)
    /** @type {HTMLElement | null} */ (list.querySelector(`button[data-venue-id="${CSS.escape(focused)}"]`))?.focus();
}

/**
 * Marks the selected venue in a list already shown.
 * @param {HTMLElement} list
 * @param {string | null} selectedId
 */
export function markSelected(list, selectedId) {
  for (const button of list.querySelectorAll('button[data-venue-id]')) {
    if (button instanceof HTMLElement && button.dataset['venueId'] === selectedId) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}
