import { injectable } from 'inversify';
import type { Batch, CrowdSource } from '../../application/ports/crowd-source.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { UpstreamError } from '../../domain/errors.js';
import type { Result } from '../../domain/result.js';
import type { Venue } from '../../domain/venue.js';
import { decryptFacilityList } from './facility-list-cipher.js';
import { GraphQlClient, type GraphQlClientSettings } from './graphql-client.js';
import { mapFacility } from './map-facility.js';
import { mapFeature } from './map-feature.js';

export interface SpaceOutSettings extends GraphQlClientSettings {
  /** The 32-character AES key of the facility list. */
  readonly key: string;
}

export const FACILITY_LIST_QUERY = '{ geojsonPoint }';
export const CROWD_LEVELS_QUERY = '{ facilities { id, band, createdAt, trend } }';

/** SpaceOut's GraphQL endpoint as a CrowdSource: decrypts, validates and maps each record. */
@injectable()
export class SpaceOutCrowdSource implements CrowdSource {
  private readonly client: GraphQlClient;

  constructor(private readonly settings: SpaceOutSettings) {
    this.client = new GraphQlClient(settings);
  }

  async fetchVenues(): Promise<Batch<Venue>> {
    const data = await this.client.query(FACILITY_LIST_QUERY);
    const collection = decryptFacilityList(data['geojsonPoint'], this.settings.key) as { features: unknown[] };
    const batch = mapAll(collection.features, mapFeature);
    // The same ID can come in several features; the first valid one wins.
    const seen = new Set<string>();
    return { items: batch.items.filter((venue) => !seen.has(venue.id) && seen.add(venue.id)), rejected: batch.rejected };
  }

  async fetchCrowdLevels(): Promise<Batch<CrowdReading>> {
    const data = await this.client.query(CROWD_LEVELS_QUERY);
    const facilities = data['facilities'];
    if (!Array.isArray(facilities)) throw new UpstreamError('upstream reply has no "facilities" list');
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
