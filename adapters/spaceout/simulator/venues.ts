import { seededRandom } from './random.js';

export type VenueType = 'SUPERMARKET' | 'MALL' | 'MARKET' | 'HAWKER CENTRE' | 'PARK' | 'SPORTS CENTRE';

/** A facility as the simulator knows it; `type` and `popularity` drive how its crowd behaves. */
export interface SimulatedVenue {
  readonly id: string;
  readonly name: string;
  readonly type: VenueType;
  readonly blkHouse: string | null;
  readonly roadName: string;
  /** Null for some venues, as upstream sends: clients build it from BLK_HOUSE and ROAD_NAME. */
  readonly address: string | null;
  /** Six digits, or null or junk for a few. */
  readonly postalCode: string | null;
  readonly lat: number;
  readonly lng: number;
  /** Opening hours as the OPR_HRS_* fields show them; null where upstream has none. */
  readonly openingHours: string | null;
  /** How busy it tends to be, around 1. */
  readonly popularity: number;
  /** Minutes between its reports, and the minute its cadence is offset by. */
  readonly cadenceMinutes: number;
  readonly offsetMinutes: number;
}

// Real towns of Singapore: centre, and the first two digits of their postal sectors.
const TOWNS: ReadonlyArray<readonly [name: string, lat: number, lng: number, postalPrefix: string]> = [
  ['Tampines', 1.3526, 103.9447, '52'],
  ['Jurong East', 1.3329, 103.7436, '60'],
  ['Bishan', 1.3508, 103.8485, '57'],
  ['Ang Mo Kio', 1.3691, 103.8454, '56'],
  ['Punggol', 1.4043, 103.9021, '82'],
  ['Woodlands', 1.436, 103.7865, '73'],
  ['Yishun', 1.4304, 103.8354, '76'],
  ['Sengkang', 1.3917, 103.895, '54'],
  ['Bedok', 1.3236, 103.9273, '46'],
  ['Clementi', 1.315, 103.7651, '12'],
  ['Hougang', 1.3713, 103.8925, '53'],
  ['Pasir Ris', 1.3721, 103.9474, '51'],
  ['Toa Payoh', 1.3343, 103.8563, '31'],
  ['Queenstown', 1.2942, 103.7861, '14'],
  ['Bukit Batok', 1.359, 103.7637, '65'],
  ['Choa Chu Kang', 1.384, 103.747, '68'],
  ['Serangoon', 1.3554, 103.8679, '55'],
  ['Bukit Panjang', 1.3774, 103.7719, '67'],
  ['Geylang', 1.3201, 103.8918, '38'],
  ['Kallang', 1.31, 103.8651, '33'],
  ['Marine Parade', 1.302, 103.9072, '44'],
  ['Bukit Merah', 1.2819, 103.8239, '15'],
  ['Sembawang', 1.4491, 103.8185, '75'],
  ['Jurong West', 1.3404, 103.709, '64'],
  ['Novena', 1.3204, 103.8438, '30'],
  ['Redhill', 1.2896, 103.8168, '16'],
];

// Supermarkets are the most common SpaceOut facility, so they come twice in the cycle.
const KINDS: readonly VenueType[] = ['SUPERMARKET', 'MALL', 'SUPERMARKET', 'MARKET', 'HAWKER CENTRE', 'PARK', 'SPORTS CENTRE'];
const SUPERMARKET_BRANDS = ['FairPrice', 'FairPrice Finest', 'FairPrice Xtra', 'Sheng Siong', 'Giant', 'Cold Storage', 'Prime Supermarket'];
const MALL_SUFFIXES = ['Mall', 'Point', 'Central', 'Hub', 'Plaza', 'Square', 'Junction', 'Galleria', 'Mart'];
const PARK_NAMES = ['Park', 'Town Park', 'Park Connector', 'Community Garden'];
const SPORTS_NAMES = ['Sports Centre', 'Swimming Complex', 'ActiveSG Gym', 'Stadium'];
const STREETS = [
  'Street 11',
  'Street 21',
  'Street 32',
  'Avenue 3',
  'Avenue 5',
  'Central 1',
  'Central 5',
  'Drive 2',
  'Road',
  'Ring Road',
  'Link',
];
const OPENING_HOURS: Readonly<Record<VenueType, readonly (string | null)[]>> = {
  SUPERMARKET: ['24 hours', '8:00 AM - 11:00 PM', '7:00 AM - 11:00 PM'],
  MALL: ['10:00 AM - 10:00 PM'],
  MARKET: ['6:00 AM - 2:00 PM', null],
  'HAWKER CENTRE': ['6:00 AM - 10:00 PM', null],
  PARK: [null],
  'SPORTS CENTRE': ['7:00 AM - 10:00 PM'],
};

/** A deterministic, realistic set of facilities over several types, all inside Singapore. */
export function generateVenues(seed: number, count: number): SimulatedVenue[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => cycle(items, Math.floor(random() * items.length));
  const venues: SimulatedVenue[] = [];
  const usedNames = new Set<string>();

  for (let i = 0; venues.length < count; i++) {
    const [town, townLat, townLng, postalPrefix] = cycle(TOWNS, i);
    const type = cycle(KINDS, Math.floor(i / TOWNS.length));
    const block = String(100 + Math.floor(random() * 800));
    const name = nameOf(type, town, block, pick);
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const index = venues.length;
    const blkHouse = type === 'PARK' ? null : type === 'MALL' ? String(1 + Math.floor(random() * 80)) : block;
    const roadName = `${town.toUpperCase()} ${pick(STREETS).toUpperCase()}`;
    const postalCode =
      index % 37 === 7 ? null : index % 53 === 11 ? 'NA' : `${postalPrefix}${String(Math.floor(random() * 10_000)).padStart(4, '0')}`;
    venues.push({
      id: idOf(index, random),
      name,
      type,
      blkHouse,
      roadName,
      address: index % 9 === 4 ? null : addressOf(type, blkHouse, roadName, postalCode),
      postalCode,
      lat: round(townLat + (random() - 0.5) * 0.02, 6),
      lng: round(townLng + (random() - 0.5) * 0.02, 6),
      openingHours: pick(OPENING_HOURS[type]),
      popularity: round(0.75 + random() * 0.5, 3),
      cadenceMinutes: 5 + Math.floor(random() * 11),
      offsetMinutes: Math.floor(random() * 60),
    });
  }
  return venues;
}

function nameOf(type: VenueType, town: string, block: string, pick: <T>(items: readonly T[]) => T): string {
  switch (type) {
    case 'SUPERMARKET':
      return `${pick(SUPERMARKET_BRANDS)} ${town} Blk ${block}`;
    case 'MALL':
      return `${town} ${pick(MALL_SUFFIXES)}`;
    case 'MARKET':
      return `${town} Blk ${block} Wet Market`;
    case 'HAWKER CENTRE':
      return `Blk ${block} ${town} Market & Food Centre`;
    case 'PARK':
      return `${town} ${pick(PARK_NAMES)}`;
    case 'SPORTS CENTRE':
      return `${town} ${pick(SPORTS_NAMES)}`;
  }
}

function addressOf(type: VenueType, blkHouse: string | null, roadName: string, postalCode: string | null): string {
  const house = blkHouse === null ? '' : type === 'MALL' ? `${blkHouse} ` : `Blk ${blkHouse} `;
  const postal = postalCode !== null && /^\d{6}$/.test(postalCode) ? ` ${postalCode}` : '';
  return `${house}${titleCase(roadName)}, Singapore${postal}`;
}

/** Upstream ids come in three formats; the simulator mixes them the same way. */
function idOf(index: number, random: () => number): string {
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  switch (index % 3) {
    case 0:
      return hex(32);
    case 1:
      return String(100 + index);
    default:
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
  }
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** The item at `index`, counting round the list again past its end. */
function cycle<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
}
