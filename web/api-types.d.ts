// The shapes the page reads from the API (see /openapi.json); for type-checking only, never served.

export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface Venue {
  id: string;
  name: string;
  type: string;
  address: string;
  postalCode: string | null;
  location: GeoPoint;
  active: boolean;
}

export interface LatestReading {
  venueId: string;
  venueName: string | null;
  venueType: string | null;
  band: number;
  bandLabel: string;
  trend: boolean | null;
  observedAt: string;
}

export interface NearbyReading extends LatestReading {
  location: GeoPoint;
  distanceMetres: number;
}

export interface Reading {
  venueId: string;
  band: number;
  bandLabel: string;
  trend: boolean | null;
  observedAt: string;
}

export interface VenueWithLatest extends Venue {
  latestReading: LatestReading | null;
}

export interface List<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProfileHour {
  hour: number;
  averageBand: number | null;
  samples: number;
}

export interface ProfileDay {
  weekday: number;
  weekdayName: string;
  hours: ProfileHour[];
  quietestHour: number | null;
  busiestHour: number | null;
}

export interface Profile {
  venueId: string;
  weeks: number;
  from: string;
  to: string;
  days: ProfileDay[];
}
