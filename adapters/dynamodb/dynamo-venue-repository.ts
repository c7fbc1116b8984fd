import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import type { VenueFilter, VenueRepository } from '../../application/ports/venue-repository.js';
import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';
import { batchWrite } from './batch-write.js';
import { VENUE_PARTITION } from './keys.js';
import { n, num, queryAll, queryPage, s, text } from './query-pages.js';
import { SCHEMA_VERSION } from './table-definition.js';

type Item = Record<string, AttributeValue>;

/** Venues in one partition (`pk=VENUE`, `sk=<id>`): a few thousand small items, read by Query. */
@injectable()
export class DynamoVenueRepository implements VenueRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(id: VenueId): Promise<Venue | null> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: s(VENUE_PARTITION), sk: s(id) } }));
    return result.Item === undefined ? null : decodeVenue(result.Item);
  }

  async all(): Promise<readonly Venue[]> {
    const items = await queryAll(this.client, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': s(VENUE_PARTITION) } });
    return items.map(decodeVenue);
  }

  async list(filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    const conditions: string[] = [];
    const values: Item = { ':pk': s(VENUE_PARTITION) };
    const names: Record<string, string> = {};
    if (filter.type !== undefined) {
      conditions.push('#type = :type');
      names['#type'] = 'type';
      values[':type'] = s(filter.type.toUpperCase());
    }
    if (filter.active !== undefined) {
      conditions.push('#active = :active');
      names['#active'] = 'active';
      values[':active'] = { BOOL: filter.active };
    }
    if (filter.q !== undefined) {
      conditions.push('contains(#search, :q)');
      names['#search'] = 'search';
      values[':q'] = s(filter.q.toLowerCase());
    }
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ...(page.after !== undefined ? { ExclusiveStartKey: { pk: s(VENUE_PARTITION), sk: s(page.after) } } : {}),
      },
      page.limit,
      decodeVenue,
      (venue) => venue.id,
    );
  }

  async save(venues: readonly Venue[]): Promise<void> {
    await batchWrite(this.client, this.tableName, venues.map((venue) => ({ PutRequest: { Item: encodeVenue(venue) } })));
  }
}

function encodeVenue(venue: Venue): Item {
  return {
    pk: s(VENUE_PARTITION),
    sk: s(venue.id),
    v: n(SCHEMA_VERSION),
    name: s(venue.name),
    type: s(venue.type),
    address: s(venue.address),
    postalCode: venue.postalCode === null ? { NULL: true } : s(venue.postalCode),
    lat: n(venue.location.lat),
    lng: n(venue.location.lng),
    active: { BOOL: venue.active },
    // Lower-cased name and address, so `q` filters case-insensitively on the server.
    search: s(`${venue.name}\n${venue.address}`.toLowerCase()),
  };
}

function decodeVenue(item: Item): Venue {
  return {
    id: text(item, 'sk'),
    name: text(item, 'name'),
    type: text(item, 'type'),
    address: text(item, 'address'),
    postalCode: item['postalCode']?.S ?? null,
    location: { lat: num(item, 'lat'), lng: num(item, 'lng') },
    active: item['active']?.BOOL ?? true,
  };
}
