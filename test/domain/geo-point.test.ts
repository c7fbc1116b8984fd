import test from 'ava';
import { distanceMetres } from '../../domain/geo-point.js';

const rafflesPlace = { lat: 1.284, lng: 103.8514 };

test('a point is no distance from itself', (t) => {
  t.is(distanceMetres(rafflesPlace, rafflesPlace), 0);
});

test('a hundredth of a degree of latitude is about 1.1 km, whichever way it is measured', (t) => {
  const north = { lat: rafflesPlace.lat + 0.01, lng: rafflesPlace.lng };
  t.is(Math.round(distanceMetres(rafflesPlace, north)), 1112);
  t.is(distanceMetres(north, rafflesPlace), distanceMetres(rafflesPlace, north));
});

test('Raffles Place to Changi Airport is about 18 km as the crow flies', (t) => {
  const changiAirport = { lat: 1.3644, lng: 103.9915 };
  const kilometres = distanceMetres(rafflesPlace, changiAirport) / 1000;
  t.true(kilometres > 17.5 && kilometres < 18.5, String(kilometres));
});
