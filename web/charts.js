// @ts-check
// One kind of chart: a Singapore day from 00:00 to 24:00, one bar per span of time, its height
// the band (a quarter of the height is band 0, so "not crowded" is still a visible bar). Each
// chart has a title for screen readers and the same numbers as a table.
import { nearestBand } from './bands.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 110;
const LEFT = 4;
const RIGHT = WIDTH - 4;
const TOP = 6;
const BASE = HEIGHT - 18;

/**
 * @typedef {object} Span
 * @property {number} fromHour hours since midnight, with fractions
 * @property {number} toHour
 * @property {number | null} band a whole band or a mean; null = no data
 * @property {boolean} [current] the span holding "now"
 * @property {string} [className] extra classes, such as "reading"
 */

/**
 * @param {{ title: string, spans: Span[], table: { caption: string, headers: [string, string], rows: Array<[string, string]> } }} chart
 * @returns {HTMLElement}
 */
export function dayChart({ title, spans, table }) {
  const figure = document.createElement('figure');
  figure.className = 'day-chart';
  const svg = svgElement('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' });
  const titleElement = svgElement('title', {});
  titleElement.textContent = title;
  svg.append(titleElement);
  for (const span of spans) svg.append(bar(span));
  svg.append(svgElement('line', { class: 'axis', x1: LEFT, x2: RIGHT, y1: BASE, y2: BASE }));
  for (let hour = 0; hour <= 24; hour += 3) {
    const tick = svgElement('text', { class: 'tick', x: Math.min(RIGHT - 12, Math.max(LEFT, x(hour) - 6)), y: HEIGHT - 4 });
    tick.textContent = String(hour % 24).padStart(2, '0');
    svg.append(tick);
  }
  figure.append(svg, tableOf(table));
  return figure;
}

/** @param {Span} span */
function bar(span) {
  const left = x(span.fromHour);
  const width = Math.max(1, x(span.toHour) - left - 0.5);
  const height = span.band === null ? 2 : ((span.band + 1) / 4) * (BASE - TOP);
  const classes = [
    span.band === null ? 'no-data' : `bar-${nearestBand(span.band)}`,
    span.current === true ? 'current' : '',
    span.className ?? '',
  ];
  return svgElement('rect', { class: classes.filter(Boolean).join(' '), x: left, y: BASE - height, width, height });
}

/** @param {number} hour */
const x = (hour) => LEFT + (Math.min(24, Math.max(0, hour)) / 24) * (RIGHT - LEFT);

/**
 * @param {string} name
 * @param {Record<string, string | number>} attributes
 */
function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes))
    element.setAttribute(key, typeof value === 'number' ? String(Math.round(value * 10) / 10) : value);
  return element;
}

/** @param {{ caption: string, headers: [string, string], rows: Array<[string, string]> }} table */
function tableOf({ caption, headers, rows }) {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'As a table';
  const element = document.createElement('table');
  const captionElement = element.createCaption();
  captionElement.textContent = caption;
  const head = element.createTHead().insertRow();
  for (const header of headers) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = header;
    head.append(cell);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.insertCell().textContent = value;
  }
  details.append(summary, element);
  return details;
}
