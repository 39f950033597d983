-- Tips near a sent location: the store reads only the visible tips inside a box around the
-- place (a range of latitudes from the index, then longitudes) and measures those exactly,
-- instead of reading every visible tip with a place into Python.

CREATE INDEX tips_near ON tips (status, latitude, longitude);

-- Its only query (every visible tip with a place) is gone.
DROP INDEX tips_with_place;
