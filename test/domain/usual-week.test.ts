import test from 'ava';
import { addDays, singaporeDayOf, singaporeHourOf, startOfSingaporeDay, weekdayOf } from '../../domain/singapore-calendar.js';
import { usualWeekOf, type DayHourTotals } from '../../domain/usual-week.js';

const day = (date: string, hours: Record<number, [sum: number, count: number]>): DayHourTotals => {
  const sums = new Array<number>(24).fill(0);
  const counts = new Array<number>(24).fill(0);
  for (const [hour, [sum, count]] of Object.entries(hours)) {
    sums[Number(hour)] = sum;
    counts[Number(hour)] = count;
  }
  return { day: date, sums, counts };
};

test("Singapore's calendar: days start at 16:00 UTC, weekdays count from Monday", (t) => {
  t.is(singaporeDayOf(Date.parse('2020-07-31T15:59:59.999Z')), '2020-07-31');
  t.is(singaporeDayOf(Date.parse('2020-07-31T16:00:00Z')), '2020-08-01');
  t.is(singaporeHourOf(Date.parse('2020-08-01T09:15:00Z')), 17);
  t.is(startOfSingaporeDay('2020-08-01').toISOString(), '2020-07-31T16:00:00.000Z');
  t.is(addDays('2020-08-01', -27), '2020-07-05');
  t.deepEqual(['2020-08-03', '2020-08-01', '2020-08-02'].map(weekdayOf), [1, 6, 7]);
});

test("a weekday's hour is the mean of every reading in that hour on any of its days", (t) => {
  // Two Mondays: 12:00 had readings 3, 3 and 0 in all, so 2, not the mean of daily means (3 and 0).
  const week = usualWeekOf([day('2020-08-03', { 12: [6, 2] }), day('2020-08-10', { 12: [0, 1] })]);
  const monday = week[0]!;
  t.is(monday.weekday, 1);
  t.deepEqual(monday.hours[12], { hour: 12, averageBand: 2, samples: 3 });
  t.deepEqual(monday.hours[13], { hour: 13, averageBand: null, samples: 0 });
  t.is(week.length, 7);
  t.true(week.slice(1).every((weekday) => weekday.hours.every((hour) => hour.samples === 0)));
});

test('the quietest and busiest hours of a weekday are its lowest and highest means', (t) => {
  const saturday = usualWeekOf([day('2020-08-01', { 8: [1, 1], 9: [0, 2], 19: [6, 2], 20: [2, 1] })])[5]!;
  t.is(saturday.weekday, 6);
  t.is(saturday.quietestHour, 9);
  t.is(saturday.busiestHour, 19);
});

test('on a tie the hour seen in more readings wins: one early reading at band 0 does not make the quietest hour', (t) => {
  const saturday = usualWeekOf([day('2020-08-01', { 5: [0, 1], 14: [0, 4], 18: [2, 1], 19: [6, 3] })])[5]!;
  t.is(saturday.quietestHour, 14);
  t.is(saturday.busiestHour, 19);
});

test('on a tie with as many readings the earliest hour wins', (t) => {
  const saturday = usualWeekOf([day('2020-08-01', { 9: [0, 2], 14: [0, 2], 19: [4, 2], 20: [4, 2] })])[5]!;
  t.is(saturday.quietestHour, 9);
  t.is(saturday.busiestHour, 19);
});

test('a weekday without readings has no quietest or busiest hour', (t) => {
  const sunday = usualWeekOf([])[6]!;
  t.deepEqual([sunday.quietestHour, sunday.busiestHour], [null, null]);
});
