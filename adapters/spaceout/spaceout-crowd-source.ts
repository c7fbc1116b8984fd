import { injectable } from 'inversify';
import type { Batch, CrowdSource } from '../../application/ports/crowd-source.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { UpstreamError } from '../../domain/errors.js';
import type { Result } from '../../domain/result.js';
import type { Venue } from '../../domain/venue.js';
import { decryptFacilityList } from './facility-list-cipher.js';
import { checkKeySize } from './facility-list-key.js';
import { GraphQlClient, type GraphQlClientSettings } from './graphql-client.js';
import { mapFacility } from './map-facility.js';
import { mapFeature } from './map-feature.js';

export interface SpaceOutSettings extends GraphQlClientSettings {
  /** The AES key of the facility list (the site's: SPACEOUT_SITE_KEY). */
  readonly key: string;
}

export const FACILITY_LIST_QUERY = '{ geojsonPoint }';
export const CROWD_LEVELS_QUERY = '{ facilities { id, band, createdAt, trend } }';

/** SpaceOut's GraphQL endpoint as a CrowdSource: decrypts, validates and maps each record. */
@injectable()
export class SpaceOutCrowdSource implements CrowdSource {
  private readonly client: GraphQlClient;

  constructor(private readonly settings: SpaceOutSettings) {
    checkKeySize(settings.key, 'SPACEOUT_KEY');
    this.client = new GraphQlClient(settings);
  }

  async fetchVenues(): Promise<Batch<Venue>> {
    const data = await this.client.query(FACILITY_LIST_QUERY);
    if (!('geojsonPoint' in data)) throw new UpstreamError('upstream reply has no "geojsonPoint"');
    const collection = decryptFacilityList(data['geojsonPoint'], this.settings.key);
    const batch = mapAll(collection.features, mapFeature);
    return { items: firstOfEachId(batch.items), rejected: batch.rejected };
  }

  async fetchCrowdLevels(): Promise<Batch<CrowdReading>> {
    const data = await this.client.query(CROWD_LEVELS_QUERY);
    const facilities = data['facilities'];
    if (!Array.isArray(facilities))
      throw new UpstreamError(`upstream reply has no "facilities" list (got ${facilities === null ? 'null' : typeof facilities})`);
    // Exact repeats of (id, createdAt) pass through: the reading repository treats them as one.
    return mapAll(facilities, mapFacility);
  }
}

function mapAll<T>(records: readonly unknown[], map: (record: unknown) => Result<T>): Batch<T> {
  const items: T[] = [];
  const rejected: string[] = [];
  for (const record of records) {
    const result = map(record);
    if (result.ok) items.push(result.value);
    else rejected.push(result.error);
  }
  return { items, rejected };
}

/** The same ID can come in several features; the first valid one wins and later ones are dropped. */
export function firstOfEachId(venues: readonly Venue[]): Venue[] {
  const seen = new Set<string>();
  return venues.filter((venue) => !seen.has(venue.id) && seen.add(venue.id));
}
