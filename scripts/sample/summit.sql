-- The quickstart's sample database: a conference-scheduling app's data (meetings, talks,
-- attendees), like the app dr was first built for. Idempotent: drops and recreates.
BEGIN;
DROP TABLE IF EXISTS registrations, talks, attendees, meetings CASCADE;

CREATE TABLE meetings (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  city       text NOT NULL,
  starts_on  date NOT NULL,
  ends_on    date NOT NULL CHECK (ends_on >= starts_on)
);

CREATE TABLE talks (
  id          serial PRIMARY KEY,
  meeting_id  integer NOT NULL REFERENCES meetings ON DELETE CASCADE,
  title       text NOT NULL,
  speaker     text NOT NULL,
  room        text NOT NULL,
  starts_at   timestamptz NOT NULL,
  minutes     integer NOT NULL CHECK (minutes > 0),
  abstract    text
);

CREATE TABLE attendees (
  id     serial PRIMARY KEY,
  name   text NOT NULL,
  email  text NOT NULL UNIQUE
);

CREATE TABLE registrations (
  meeting_id   integer NOT NULL REFERENCES meetings ON DELETE CASCADE,
  attendee_id  integer NOT NULL REFERENCES attendees ON DELETE CASCADE,
  registered   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, attendee_id)
);

INSERT INTO meetings (name, city, starts_on, ends_on)
SELECT 'Summit ' || (2000 + n), (ARRAY['Lisbon', 'Oslo', 'Austin', 'Kyoto', 'Nairobi'])[1 + n % 5],
       make_date(2000 + n, 1 + n % 12, 10), make_date(2000 + n, 1 + n % 12, 12)
FROM generate_series(1, 30) AS n;

INSERT INTO talks (meeting_id, title, speaker, room, starts_at, minutes, abstract)
SELECT 1 + n % 30, 'Talk ' || n || ': ' || md5(n::text), 'Speaker ' || (n % 400),
       'Room ' || chr(65 + n % 6), timestamptz '2024-01-10 09:00+00' + (n % 40) * interval '30 minutes',
       25 + 5 * (n % 4), repeat('Why backups must be restored to count. ', 1 + n % 8)
FROM generate_series(1, 6000) AS n;

INSERT INTO attendees (name, email)
SELECT 'Attendee ' || n, 'attendee' || n || '@example.org' FROM generate_series(1, 20000) AS n;

INSERT INTO registrations (meeting_id, attendee_id, registered)
SELECT 1 + (n * 7) % 30, n, timestamptz '2024-01-01 00:00+00' + n * interval '1 minute'
FROM generate_series(1, 20000) AS n;

CREATE INDEX talks_meeting ON talks (meeting_id, starts_at);
COMMIT;
ANALYZE meetings, talks, attendees, registrations;
