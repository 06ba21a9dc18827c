-- A write-behind flush asks which users were erased since its earliest record was journaled
-- (Erasures.latestSince): one range on the time, usually empty, where asking for each of its
-- records' owners named hundreds of users. MongoDB indexes every collection's time already.
CREATE INDEX erasures_time ON erasures (erased_at);
