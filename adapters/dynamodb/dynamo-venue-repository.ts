import { inject, injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import { pageBy } from '../../application/ports/paging.js';
import type { VenueFilter, VenueRepository } from '../../application/ports/venue-repository.js';
import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { DYNAMO_TABLE, type DynamoTable } from './dynamo-table.js';
import { PACKED, SHARDS, shardOf } from './keys.js';
import { packed, packedData, PackedItems } from './packed-items.js';

/** [name, type, address, postalCode or null, lat, lng, active] */
type PackedVenue = [string, string, string, string | null, number, number, boolean];
type Venues = Record<string, PackedVenue>;

/**
 * Every venue in a few packed items (`pk=P#VENUES`, one per shard): the poll's diff, the list
 * and the names joined onto crowd levels each read them with one Query, and one venue is one
 * GetItem. A few thousand venues are a few hundred kilobytes; filters run in memory.
 */
@injectable()
export class DynamoVenueRepository implements VenueRepository {
  private readonly packed: PackedItems;

  constructor(@inject(DYNAMO_TABLE) table: DynamoTable) {
    this.packed = new PackedItems(table);
  }

  async get(id: VenueId): Promise<Venue | null> {
    const entry = (packedData(await this.packed.one({ pk: PACKED.venues, sk: shardOf(id, SHARDS.venues) })) as Venues | undefined)?.[id];
    return entry === undefined ? null : decodeVenue(id, entry);
  }

  async all(): Promise<readonly Venue[]> {
    const venues: Venue[] = [];
    for (const item of (await this.packed.partition(PACKED.venues)).values()) {
      for (const [id, entry] of Object.entries((packedData(item) as Venues | undefined) ?? {})) venues.push(decodeVenue(id, entry));
    }
    return venues.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async list(filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    const type = filter.type?.toUpperCase();
    const q = filter.q?.toLowerCase();
    const matching = (await this.all()).filter(
      (venue) =>
        (type === undefined || venue.type === type) &&
        (filter.active === undefined || venue.active === filter.active) &&
        (q === undefined || `${venue.name}\n${venue.address}`.toLowerCase().includes(q)),
    );
    return pageBy(matching, (venue) => venue.id, page);
  }

  /** Inserts or replaces by id; each touched shard is a compare-and-set, so concurrent saves both land. */
  async save(venues: readonly Venue[]): Promise<void> {
    const byShard = new Map<string, Venue[]>();
    for (const venue of venues) {
      const sk = shardOf(venue.id, SHARDS.venues);
      byShard.set(sk, [...(byShard.get(sk) ?? []), venue]);
    }
    await mapConcurrently([...byShard], 4, ([sk, shardVenues]) =>
      this.packed.update({ pk: PACKED.venues, sk }, (item) => {
        const data = (packedData(item) as Venues | undefined) ?? {};
        for (const venue of shardVenues) data[venue.id] = encodeVenue(venue);
        return { data: packed(data) };
      }),
    );
  }
}

function encodeVenue(venue: Venue): PackedVenue {
  return [venue.name, venue.type, venue.address, venue.postalCode, venue.location.lat, venue.location.lng, venue.active];
}

function decodeVenue(id: VenueId, [name, type, address, postalCode, lat, lng, active]: PackedVenue): Venue {
  return { id, name, type, address, postalCode, location: { lat, lng }, active };
}
